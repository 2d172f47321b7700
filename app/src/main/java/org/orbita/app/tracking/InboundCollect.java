package org.orbita.app.tracking;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.InvalidInputException;
import org.orbita.common.UnavailableException;
import org.orbita.inbound.InboundHooks;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What other systems post to an inbound source, on the public origin:
 * {@code POST /t/in/{workspace}/{source}/{key}} with JSON or form fields, answered right after the
 * public origin's filter (no session, no MVC dispatch): {@code 200 {status, received}} once the
 * call is kept and made into its profile and event ({@code duplicate} for a resent one), {@code 400}
 * naming what the body lacked (kept, to replay), {@code 403} for a wrong address (nothing kept),
 * {@code 413} past 256 KB.
 */
final class InboundCollect extends OncePerRequestFilter {

    static final Pattern PATH = Pattern.compile("/t/in/([A-Za-z0-9_-]{1,64})/([a-z0-9_-]{1,64})/([A-Za-z0-9_-]{1,100})");

    private final InboundHooks hooks;

    InboundCollect(InboundHooks hooks) {
        this.hooks = hooks;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/t/in/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = PATH.matcher(request.getRequestURI());
        if (!m.matches()) {
            PublicAnswers.problem(response, 404, "Not found", "no inbound source has this address", null);
            return;
        }
        if (!request.getMethod().equals("POST")) {
            PublicAnswers.problem(response, 405, "Method not allowed", "an inbound source takes POST", null);
            return;
        }
        try {
            if (request.getContentLengthLong() > InboundHooks.MAX_BODY) {
                throw new PublicAnswers.TooLarge(InboundHooks.MAX_BODY);
            }
            byte[] bytes;
            try (InputStream in = request.getInputStream()) {
                bytes = in.readNBytes(InboundHooks.MAX_BODY + 1);
            }
            if (bytes.length > InboundHooks.MAX_BODY) {
                throw new PublicAnswers.TooLarge(InboundHooks.MAX_BODY);
            }
            String id = request.getHeader("webhook-id") != null ? request.getHeader("webhook-id") : request.getHeader("Idempotency-Key");
            InboundHooks.Outcome o = hooks.receive(m.group(1), m.group(2), m.group(3), request.getContentType(),
                    new String(bytes, StandardCharsets.UTF_8), id);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("status", o.status());
            a.put("received", o.received());
            PublicAnswers.write(response, 200, "application/json", a);
        } catch (InvalidInputException e) {
            PublicAnswers.invalid(response, e);
        } catch (InboundHooks.Refused e) {
            PublicAnswers.problem(response, 403, "Forbidden", e.getMessage(), null);
        } catch (PublicAnswers.TooLarge e) {
            PublicAnswers.problem(response, 413, "Too large", e.getMessage(), null);
        } catch (UnavailableException e) {
            response.setHeader("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            PublicAnswers.problem(response, 503, "Try again", e.getMessage(), null);
        }
    }
}
