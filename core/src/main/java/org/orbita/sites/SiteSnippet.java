package org.orbita.sites;

import java.util.function.Function;

/**
 * What a site's pages carry, on the public tracking origin — the workspace's own tracking address
 * when it sets one ({@code workspaceBase}), else the platform's {@code publicUrl}: the loader to
 * paste (it queues calls until the script arrives, so {@code orbita(…)} works at once), the
 * script's address, and the pixel for pages without script.
 */
public record SiteSnippet(String publicUrl, Function<String, String> workspaceBase) {

    public SiteSnippet {
        publicUrl = trimmed(publicUrl);
        workspaceBase = workspaceBase == null ? ws -> null : workspaceBase;
    }

    public SiteSnippet(String publicUrl) {
        this(publicUrl, null);
    }

    /** Where everything of the site is served from: its script, its tag containers, its collection endpoint. */
    public String base(Site site) {
        String own = workspaceBase.apply(site.workspaceId());
        return (own == null || own.isBlank() ? publicUrl : trimmed(own)) + "/t/s/" + site.id();
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
        return "<img src=\"" + base(site) + "/p.gif\" width=\"1\" height=\"1\" alt=\"\" referrerpolicy=\"no-referrer-when-downgrade\">";
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
