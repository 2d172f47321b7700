package org.orbita.app.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.popups.Popup;
import org.orbita.popups.Popups;
import org.orbita.sites.Site;
import org.orbita.sites.SiteSnippet;
import org.orbita.sites.Sites;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pop-ups a site's script loads, on the public origin: the published ones with the site's
 * budget ({@code /t/s/{site}/popups.js}, made once per change), one pop-up as it is now for the tab
 * that opened its preview link, and which segment-targeted pop-ups an identified visitor may see.
 * Each variant travels as the page of its sandboxed frame ({@link Popups#document}).
 */
@RestController
class PopupScripts {

    private static final String SCRIPT = SiteCollection.resource("popups/popups.js");

    private final Sites sites;
    private final Popups popups;
    private final SiteSnippet snippet;
    private final Map<String, SiteCollection.Built> built = new ConcurrentHashMap<>();

    PopupScripts(Sites sites, Popups popups, SiteSnippet snippet) {
        this.snippet = snippet;
        this.sites = sites;
        this.popups = popups;
    }

    @GetMapping("/t/s/{site}/popups.js")
    ResponseEntity<String> live(@PathVariable String site, @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String etag) {
        Site s = sites.published(site).orElseThrow(() -> new NotFoundException("site", site));
        List<Popup> live = popups.live(s.id());
        Popup.Budget budget = popups.budgetOf(s.id());
        String version = snippet.base(s) + " " + live.stream().map(p -> p.id() + "@" + p.updatedAt()).toList() + " " + budget;
        SiteCollection.Built b = built.get(s.id());
        if (b == null || !b.version().equals(version)) {
            b = SiteCollection.built(version, SCRIPT.replace("/*CONFIG*/{}", Json.write(config(s, live, budget, false))));
            if (built.size() >= 10_000) {
                built.clear(); // bounded: a flood of sites costs rebuilding, never memory
            }
            built.put(s.id(), b);
        }
        return SiteCollection.script(b, etag, CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic());
    }

    /** A pop-up as it is now, published or not, shown at once and counted nowhere; a bad or expired token ends the preview. */
    @GetMapping("/t/s/{site}/popups/preview.js")
    ResponseEntity<String> preview(@PathVariable String site, @RequestParam(required = false) String token) {
        Site s = sites.published(site).orElseThrow(() -> new NotFoundException("site", site));
        String body = popups.previewed(s.id(), token)
                .map(p -> SCRIPT.replace("/*CONFIG*/{}", Json.write(config(s, List.of(p), new Popup.Budget(s.id(), 0, 0), true))))
                .orElse("try{sessionStorage.removeItem('orbita_popup')}catch(e){}\n");
        return ResponseEntity.ok().contentType(new MediaType("text", "javascript", StandardCharsets.UTF_8)).cacheControl(CacheControl.noStore())
                .header("Cross-Origin-Resource-Policy", "cross-origin").body(body);
    }

    /** Of the site's segment-targeted pop-ups, the ones this (identified) visitor may see now. */
    @GetMapping("/t/s/{site}/popups/eligible")
    ResponseEntity<Map<String, Object>> eligible(@PathVariable String site, @RequestParam(required = false) String visitor) {
        sites.published(site).orElseThrow(() -> new NotFoundException("site", site));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Access-Control-Allow-Origin", "*")
                .body(Map.of("popups", popups.eligible(site, visitor)));
    }

    private Map<String, Object> config(Site s, List<Popup> live, Popup.Budget budget, boolean preview) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("site", s.id());
        c.put("preview", preview);
        c.put("eligible", snippet.base(s) + "/popups/eligible");
        Map<String, Object> shared = new LinkedHashMap<>();
        shared.put("perSession", budget.perSession());
        shared.put("gapSeconds", budget.gapSeconds());
        c.put("budget", shared);
        c.put("popups", live.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("name", p.name());
            m.put("kind", p.kind());
            m.put("position", p.position());
            m.put("trigger", p.trigger());
            m.put("frequency", p.frequency());
            m.put("variants", p.variants().stream().map(v -> {
                Map<String, Object> variant = new LinkedHashMap<>();
                variant.put("id", v.id());
                variant.put("weight", v.weight());
                if (v.width() != null) {
                    variant.put("width", v.width());
                }
                variant.put("doc", popups.document(p, v));
                return variant;
            }).toList());
            return m;
        }).toList());
        return c;
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        p.setTitle("Not found");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
