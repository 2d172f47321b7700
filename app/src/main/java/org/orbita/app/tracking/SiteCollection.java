package org.orbita.app.tracking;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.sites.Site;
import org.orbita.sites.SiteHits;
import org.orbita.sites.SiteSnippet;
import org.orbita.sites.Sites;
import org.orbita.sites.TagContainer;
import org.orbita.sites.TagContainers;
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
 * What websites load, on the recipients' origin ({@link PublicOrigin}: no cookies, no session):
 * the snippet of a site with its settings ({@code /t/s/{site}/orbita.js}) and the image pixel for
 * pages without script ({@code /t/s/{site}/p.gif?url=…}). The collection endpoint the snippet
 * reports to is {@link SiteCollect}.
 */
@RestController
class SiteCollection {

    private static final String SCRIPT = script("orbita.js");
    private static final String TAGS = script("tags.js");

    private final Sites sites;
    private final SiteHits hits;
    private final SiteSnippet snippet;
    private final TagContainers containers;
    private final org.orbita.popups.Popups popups;
    /** A site's script and its ETag, made once per version of the site (its {@code updatedAt} and the container versions it loads). */
    private final Map<String, Built> built = new java.util.concurrent.ConcurrentHashMap<>();
    /** A published container version's script: it never changes, so it is made once. */
    private final Map<String, Built> versions = new java.util.concurrent.ConcurrentHashMap<>();

    record Built(String version, String body, String etag) {}

    SiteCollection(Sites sites, SiteHits hits, SiteSnippet snippet, TagContainers containers, org.orbita.popups.Popups popups) {
        this.popups = popups;
        this.sites = sites;
        this.hits = hits;
        this.snippet = snippet;
        this.containers = containers;
    }

    @GetMapping(value = "/t/s/{site}/orbita.js")
    ResponseEntity<String> snippet(@PathVariable String site, @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String etag) {
        Site s = sites.published(site).orElseThrow(() -> new NotFoundException("site", site));
        List<TagContainers.Live> live = containers.live(s.id());
        boolean withPopups = !popups.live(s.id()).isEmpty();
        String version = s.updatedAt() + " " + live + " " + withPopups + " " + snippet.base(s); // the workspace may move its tracking address
        Built b = built.get(s.id());
        if (b == null || !b.version().equals(version)) {
            b = built(version, SCRIPT.replace("/*CONFIG*/{}", Json.write(config(s, live, withPopups))));
            if (built.size() >= 10_000) {
                built.clear(); // bounded: a flood of sites costs rebuilding, never memory
            }
            built.put(s.id(), b);
        }
        return script(b, etag, CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic());
    }

    /** One published version of a tag container; its address names the version, so browsers keep it for a year. */
    @GetMapping(value = "/t/s/{site}/c/{container}/{version:[0-9]{1,6}}.js")
    ResponseEntity<String> container(@PathVariable String site, @PathVariable String container, @PathVariable int version,
                                     @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String etag) {
        String key = container + "." + version;
        TagContainer.Content content = containers.content(site, container, version)
                .orElseThrow(() -> new NotFoundException("container version", key));
        Built b = versions.get(key);
        if (b == null) {
            b = built(key, TAGS.replace("/*CONFIG*/{}", Json.write(tagConfig(container, version, "v" + version, false, content))));
            if (versions.size() >= 1_000) {
                versions.clear();
            }
            versions.put(key, b);
        }
        return script(b, etag, CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePublic().immutable());
    }

    /** A container's draft for the one tab that opened its preview link; never kept by a cache. A token past its time ends the preview. */
    @GetMapping(value = "/t/s/{site}/c/preview.js")
    ResponseEntity<String> preview(@PathVariable String site, @RequestParam(required = false) String token) {
        Site s = sites.published(site).orElseThrow(() -> new NotFoundException("site", site));
        String body = containers.previewed(s.id(), token)
                .map(c -> TAGS.replace("/*CONFIG*/{}", Json.write(tagConfig(c.id(), 0, c.name(), true, c.draft()))))
                .orElse("try{sessionStorage.removeItem('orbita_preview')}catch(e){}\n");
        return ResponseEntity.ok().contentType(new MediaType("text", "javascript", StandardCharsets.UTF_8)).cacheControl(CacheControl.noStore())
                .header("Cross-Origin-Resource-Policy", "cross-origin").body(body);
    }

    static Built built(String version, String body) {
        return new Built(version, body, '"' + sha256(body).substring(0, 32) + '"');
    }

    static ResponseEntity<String> script(Built b, String etag, CacheControl cache) {
        if (b.etag().equals(etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(b.etag()).build();
        }
        return ResponseEntity.ok().contentType(new MediaType("text", "javascript", StandardCharsets.UTF_8)).eTag(b.etag())
                .cacheControl(cache).header("Cross-Origin-Resource-Policy", "cross-origin").body(b.body());
    }

    private static Map<String, Object> tagConfig(String container, int version, String name, boolean preview, TagContainer.Content content) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("container", container);
        c.put("name", name);
        c.put("version", version);
        c.put("preview", preview);
        c.put("variables", content.variables());
        c.put("triggers", content.triggers());
        c.put("tags", content.tags());
        return c;
    }

    /** What the snippet needs of its site, nothing more: where to report, how consent works, the goals. */
    private Map<String, Object> config(Site s, List<TagContainers.Live> live, boolean withPopups) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("site", s.id());
        c.put("endpoint", snippet.endpoint(s));
        c.put("tags", snippet.base(s));
        c.put("containers", live);
        if (withPopups) {
            c.put("popups", true);
        }
        c.put("consent", s.consent().id());
        c.put("goals", s.goals().stream().map(g -> {
            Map<String, Object> goal = new LinkedHashMap<>();
            goal.put("id", g.id());
            goal.put("kind", g.kind());
            goal.put("rule", g.rule());
            if (g.match() != null) {
                goal.put("match", g.match());
            }
            return goal;
        }).toList());
        return c;
    }

    /** A page without script: {@code <img src=".../p.gif?url=…&title=…&visitor=…">}; one page view, answered with a pixel even when refused. */
    @GetMapping("/t/s/{site}/p.gif")
    ResponseEntity<byte[]> pixel(@PathVariable String site, @RequestParam(required = false) String url, @RequestParam(required = false) String title,
                                 @RequestParam(required = false) String visitor, HttpServletRequest request) {
        Map<String, Object> hit = new LinkedHashMap<>();
        hit.put("kind", "page");
        hit.put("id", Ids.next().replaceAll("[^A-Za-z0-9_-]", "") + "px");
        hit.put("url", url != null ? url : request.getHeader(HttpHeaders.REFERER));
        if (title != null) {
            hit.put("title", title);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        // without script there is no stored visitor id: the page may give one, else the view counts as its own visitor
        body.put("visitor", visitor != null ? visitor : "px" + Ids.next().replaceAll("[^A-Za-z0-9_-]", ""));
        body.put("consent", true);
        body.put("hits", List.of(hit));
        HttpStatus status = HttpStatus.OK;
        try {
            hits.collect(site, body, SiteCollect.from(request));
        } catch (NotFoundException e) {
            status = HttpStatus.NOT_FOUND;
        } catch (SiteHits.OriginRefused e) {
            status = HttpStatus.FORBIDDEN;
        } catch (InvalidInputException e) {
            status = HttpStatus.BAD_REQUEST;
        }
        return ResponseEntity.status(status).contentType(MediaType.IMAGE_GIF).cacheControl(CacheControl.noStore())
                .header("Cross-Origin-Resource-Policy", "cross-origin").body(TrackingController.PIXEL);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        p.setTitle("Not found");
        return problem(p);
    }

    /** The script of a site there is not (or no longer). */
    private static ResponseEntity<ProblemDetail> problem(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String script(String name) {
        return resource("sites/" + name);
    }

    /** A script of the app's resources ({@code org/orbita/app/…}). */
    static String resource(String name) {
        try (InputStream in = SiteCollection.class.getResourceAsStream("/org/orbita/app/" + name)) {
            if (in == null) {
                throw new IllegalStateException("org/orbita/app/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
