package org.orbita.app.tracking;

import java.net.URI;
import java.util.Base64;
import org.orbita.content.Links;
import org.orbita.sites.SiteLinks;
import org.orbita.tracking.LinkVisits;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The links messages carry, answered over HTTP for anyone holding one ({@link LinkVisits} does
 * the work): a click is redirected, "view in browser" shows the email, unsubscribe asks and then
 * unsubscribes (GET never changes anything: mail scanners follow links; a POST, including
 * RFC 8058's one-click, does). A link whose signature does not check is a 404.
 */
@RestController
class TrackingController {

    /** A transparent 1×1 GIF (the open pixel's, the sites' pixel's). */
    static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final LinkVisits visits;
    private final SiteLinks siteLinks;

    TrackingController(LinkVisits visits, SiteLinks siteLinks) {
        this.visits = visits;
        this.siteLinks = siteLinks;
    }

    @GetMapping("/t/o/{token}")
    ResponseEntity<byte[]> open(@PathVariable String token, @RequestHeader(value = HttpHeaders.USER_AGENT, required = false) String userAgent) {
        if (!visits.opened(token, userAgent)) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_GIF).header(HttpHeaders.CACHE_CONTROL, "no-store, no-cache, must-revalidate")
                .body(PIXEL);
    }

    @GetMapping("/t/c/{token}")
    ResponseEntity<String> click(@PathVariable String token, @RequestHeader(value = HttpHeaders.USER_AGENT, required = false) String userAgent) {
        return switch (visits.clicked(token, userAgent)) {
            // onto a tracked site of the recipient's database: with a token the snippet identifies them by (SiteLinks)
            case Links.Click.Redirect r -> ResponseEntity.status(HttpStatus.FOUND).location(URI.create(siteLinks.decorate(r.facts().workspaceId(),
                    r.facts().database(), r.facts().profileId(), r.facts().url()))).build();
            // past its lifetime the address is shown as text, not followed: an old link is no redirect for anyone's use
            case Links.Click.Expired e -> page(HttpStatus.GONE, "<p>This link has expired. It led to:</p><p><code>"
                    + HtmlUtils.htmlEscape(e.facts().url()) + "</code></p>");
            case Links.Click.NotValid n -> page(HttpStatus.NOT_FOUND, "This link is not valid.");
        };
    }

    @GetMapping(value = "/t/v/{token}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> view(@PathVariable String token, @RequestHeader(value = HttpHeaders.USER_AGENT, required = false) String userAgent) {
        return switch (visits.view(token, userAgent)) {
            case LinkVisits.WebView.Page p -> ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(p.html());
            case LinkVisits.WebView.NotValid n -> page(HttpStatus.NOT_FOUND, "This link is not valid.");
            case LinkVisits.WebView.NoWebVersion n -> page(HttpStatus.NOT_FOUND, "This message has no web version.");
        };
    }

    @GetMapping(value = "/t/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> unsubscribePage(@PathVariable String token) {
        Links.Facts f = visits.unsubscribeLink(token).orElse(null);
        if (f == null) {
            return page(HttpStatus.NOT_FOUND, "This link is not valid.");
        }
        String what = f.channel() == null ? "these messages" : HtmlUtils.htmlEscape(f.channel()) + " messages";
        return page(HttpStatus.OK, "<p>Stop receiving " + what + "?</p><form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>");
    }

    @PostMapping(value = "/t/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> unsubscribe(@PathVariable String token,
                                       @RequestHeader(value = HttpHeaders.USER_AGENT, required = false) String userAgent) {
        return switch (visits.unsubscribe(token, userAgent)) {
            case DONE -> page(HttpStatus.OK, "<p>You are unsubscribed.</p>");
            case NOT_VALID -> page(HttpStatus.NOT_FOUND, "This link is not valid.");
            case NOT_FOUND -> page(HttpStatus.NOT_FOUND, "We could not find your subscription.");
        };
    }

    private static ResponseEntity<String> page(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_HTML).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body("<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                        + "<title>Orbita</title></head><body style=\"font-family:sans-serif;max-width:30em;margin:4em auto\">" + body + "</body></html>");
    }
}
