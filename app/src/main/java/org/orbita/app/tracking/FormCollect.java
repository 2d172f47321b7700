package org.orbita.app.tracking;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.common.UnavailableException;
import org.orbita.forms.FormSubmissions;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What a drawn form sends, on the public origin: {@code POST /t/f/{id}/submit} (a submission,
 * answered once its profile and event are stored) and {@code POST /t/f/{id}/seen} (a view or a
 * start). From any page — CORS {@code *}, no credentials; {@code text/plain}, so no preflight
 * ({@code OPTIONS} answered all the same). It answers right after the public origin's filter, as
 * {@link SiteCollect} does, without the MVC dispatch and the app's filters. Wrong answers are a
 * {@code 400} naming {@code answers.<question>}; spam {@code 422} ({@code 429} past the rate), kept.
 */
final class FormCollect extends OncePerRequestFilter {

    static final Pattern PATH = Pattern.compile("/t/f/([A-Za-z0-9_-]{1,40})/(submit|seen)");
    static final Pattern HOOK = Pattern.compile("/t/f/([A-Za-z0-9_-]{1,40})/hook/([A-Za-z0-9_-]{1,100})");

    private final FormSubmissions submissions;

    FormCollect(FormSubmissions submissions) {
        this.submissions = submissions;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !uri.startsWith("/t/f/") || !(uri.endsWith("/submit") || uri.endsWith("/seen") || uri.contains("/hook/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher hook = HOOK.matcher(request.getRequestURI());
        if (hook.matches()) {
            if (request.getMethod().equals("POST")) {
                hook(hook.group(1), hook.group(2), request, response);
            } else {
                PublicAnswers.problem(response, 405, "Method not allowed", "a webhook takes POST", null);
            }
            return;
        }
        Matcher m = PATH.matcher(request.getRequestURI());
        if (!m.matches()) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", "*");
        switch (request.getMethod()) {
            case "OPTIONS" -> PublicAnswers.preflight(response);
            case "POST" -> answer(m.group(1), m.group(2), request, response);
            default -> PublicAnswers.problem(response, 405, "Method not allowed", "this takes POST", null);
        }
    }

    /** Another form builder's webhook (Tilda's form POST, or JSON): answered {@code ok} as Tilda expects. */
    private void hook(String form, String key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Map<String, String> params = new LinkedHashMap<>();
            String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(java.util.Locale.ROOT);
            if (type.startsWith("application/json")) {
                flatten("", PublicAnswers.object(request, FormSubmissions.MAX_BODY, "of the form's fields"), params);
            } else if (request.getContentLengthLong() > FormSubmissions.MAX_BODY) {
                throw new PublicAnswers.TooLarge(FormSubmissions.MAX_BODY);
            } else {
                // PHP's nesting (LPGenerator's lead_data[email]) read as dotted names, as JSON's objects are
                request.getParameterMap().forEach((k, v) -> params.put(k.replaceAll("\\[([^\\]]*)]", ".$1"), v.length == 0 ? null : v[0]));
            }
            submissions.fromHook(form, key, params, new FormSubmissions.From(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT)));
            PublicAnswers.text(response, 200, "ok");
        } catch (InvalidInputException e) {
            PublicAnswers.invalid(response, e);
        } catch (NotFoundException e) {
            PublicAnswers.problem(response, 404, "Not found", e.getMessage(), null);
        } catch (FormSubmissions.Refused e) {
            PublicAnswers.problem(response, 403, "Forbidden", e.getMessage(), null);
        } catch (PublicAnswers.TooLarge e) {
            PublicAnswers.problem(response, 413, "Too large", e.getMessage(), null);
        } catch (UnavailableException e) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            PublicAnswers.problem(response, 503, "Try again", e.getMessage(), null);
        }
    }

    /** A JSON body's values by dotted name ({@code lead_data.email}); lists and numbers as text. */
    private static void flatten(String prefix, Map<String, Object> object, Map<String, String> into) {
        object.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> inner = (Map<String, Object>) m;
                flatten(prefix + k + ".", inner, into);
            } else {
                into.put(prefix + k, v == null ? null : v instanceof String s ? s : String.valueOf(v));
            }
        });
    }

    private void answer(String form, String what, HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Map<String, Object> body = PublicAnswers.object(request, FormSubmissions.MAX_BODY, "of the form's answers");
            if (what.equals("seen")) {
                submissions.seen(form, String.valueOf(body.get("kind")), body.get("visitor") instanceof String v ? v : null);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return;
            }
            FormSubmissions.Outcome o = submissions.submit(form, body, new FormSubmissions.From(request.getRemoteAddr(),
                    request.getHeader(HttpHeaders.USER_AGENT)));
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("status", o.status());
            a.put("submission", o.submission());
            PublicAnswers.write(response, 200, "application/json", a);
        } catch (InvalidInputException e) {
            PublicAnswers.invalid(response, e);
        } catch (NotFoundException e) {
            PublicAnswers.problem(response, 404, "Not found", e.getMessage(), null);
        } catch (FormSubmissions.Refused e) {
            PublicAnswers.problem(response, e.tooMany() ? 429 : 422, "Refused as spam", "refused: " + e.getMessage(), null);
        } catch (PublicAnswers.TooLarge e) {
            PublicAnswers.problem(response, 413, "Too large", e.getMessage(), null);
        } catch (UnavailableException e) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            PublicAnswers.problem(response, 503, "Try again", e.getMessage(), null);
        }
    }
}
