package org.orbita.sites;

/**
 * What a site's pages carry, on the public tracking origin ({@code publicUrl}): the loader to
 * paste (it queues calls until the script arrives, so {@code orbita(…)} works at once), the
 * script's address, and the pixel for pages without script.
 */
public record SiteSnippet(String publicUrl) {

    public SiteSnippet {
        publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** Where everything of the site is served from: its script, its tag containers, its collection endpoint. */
    public String base(Site site) {
        return publicUrl + "/t/s/" + site.id();
    }

    public String scriptUrl(Site site) {
        return base(site) + "/orbita.js";
    }

    /** Where the snippet sends its batches. */
    public String endpoint(Site site) {
        return base(site) + "/collect";
    }

    public String code(Site site) {
        return "<script>\n"
                + "(function(w,d,u){w.orbita=w.orbita||function(){(w.orbita.q=w.orbita.q||[]).push(arguments)};"
                + "var s=d.createElement('script');s.async=1;s.src=u;d.head.appendChild(s)})(window,document,'" + scriptUrl(site) + "');\n"
                + "orbita('page');\n"
                + "</script>";
    }

    public String pixel(Site site) {
        return "<img src=\"" + publicUrl + "/t/s/" + site.id() + "/p.gif\" width=\"1\" height=\"1\" alt=\"\" referrerpolicy=\"no-referrer-when-downgrade\">";
    }
}
