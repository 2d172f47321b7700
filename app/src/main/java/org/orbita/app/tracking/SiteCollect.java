package org.orbita.app.tracking;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.sites.SiteHits;
import org.orbita.sites.Sites;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The collection endpoint, {@code POST /t/s/{site}/collect}: a JSON batch of a visitor's hits
 * (sent as {@code text/plain}, so a browser needs no preflight; {@code OPTIONS} answered all the
 * same), stored by {@link SiteHits} before the answer — what was acknowledged is durable — with
 * CORS for the site's own domains only. It answers right after the public origin's filter
 * ({@link PublicOrigin}), without the MVC dispatch and the signed-in app's filters, which cost
 * twice the work of storing a hit and give nothing here (nobody signs in on this origin). Bad
 * input is a 4xx {@code application/problem+json} naming the field and the rule.
 */
final class SiteCollect extends OncePerRequestFilter {

    static final Pattern PATH = Pattern.compile("/t/s/([A-Za-z0-9_-]{1,40})/collect");

    private final Sites sites;
    private final SiteHits hits;

    SiteCollect(Sites sites, SiteHits hits) {
        this.sites = sites;
        this.hits = hits;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().endsWith("/collect") || !request.getRequestURI().startsWith("/t/s/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = PATH.matcher(request.getRequestURI());
        if (!m.matches()) {
            chain.doFilter(request, response);
            return;
        }
        String site = m.group(1);
        response.setHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && sites.published(site).map(s -> s.allows(SiteHits.host(origin))).orElse(false)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
        }
        switch (request.getMethod()) {
            case "OPTIONS" -> PublicAnswers.preflight(response);
            case "POST" -> collect(site, request, response);
            default -> problem(response, 405, "Method not allowed", "the collection endpoint takes POST", null);
        }
    }

    private void collect(String site, HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            SiteHits.Outcome o = hits.collect(site, PublicAnswers.object(request, SiteHits.MAX_BODY, "with visitor and hits"), from(request));
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("stored", o.stored());
            a.put("repeats", o.repeats());
            a.put("rejected", o.rejected());
            if (o.bot()) {
                a.put("bot", true);
            }
            PublicAnswers.write(response, 200, "application/json", a);
        } catch (InvalidInputException e) {
            PublicAnswers.invalid(response, e);
        } catch (NotFoundException e) {
            problem(response, 404, "Not found", e.getMessage(), null);
        } catch (SiteHits.OriginRefused e) {
            problem(response, 403, "Origin not allowed", e.getMessage(), null);
        } catch (PublicAnswers.TooLarge e) {
            problem(response, 413, "Too large", e.getMessage(), null);
        }
    }

    /** Who sent a hit from a browser: its page's origin and referrer, its agent and address. */
    static SiteHits.From from(HttpServletRequest request) {
        return new SiteHits.From(request.getHeader(HttpHeaders.ORIGIN), request.getHeader(HttpHeaders.REFERER),
                request.getHeader(HttpHeaders.USER_AGENT), request.getRemoteAddr(), false);
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail, List<FieldError> errors)
            throws IOException {
        PublicAnswers.problem(response, status, title, detail, errors);
    }
}
