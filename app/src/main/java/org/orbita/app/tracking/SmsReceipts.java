package org.orbita.app.tracking;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.app.campaigns.ChannelProviders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Delivery reports the SMS gateways post, on the public origin:
 * {@code POST /t/sms/{infobip|smsc|sms_traffic}/{key}} — handed to the SMS channel's provider, which tells the
 * channel's worker ({@code message.receipt} in the history; a final failure fails the send).
 * Answered {@code 200 ok} (a gateway retries otherwise), {@code 403} for a wrong key.
 */
final class SmsReceipts extends OncePerRequestFilter {

    static final Pattern PATH = Pattern.compile("/t/sms/(infobip|smsc|sms_traffic)/([A-Za-z0-9]{1,100})");
    private static final int MAX = 1024 * 1024;

    private final ChannelProviders providers;

    SmsReceipts(ChannelProviders providers) {
        this.providers = providers;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/t/sms/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = PATH.matcher(request.getRequestURI());
        if (!m.matches() || !request.getMethod().equals("POST")) {
            PublicAnswers.problem(response, m.matches() ? 405 : 404, m.matches() ? "Method not allowed" : "Not found",
                    m.matches() ? "delivery reports are POSTed" : "no receipts address is here", null);
            return;
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX + 1);
        }
        if (bytes.length > MAX) {
            PublicAnswers.problem(response, 413, "Too large", "a report is at most " + MAX + " bytes", null);
            return;
        }
        try {
            providers.smsReport(m.group(1), m.group(2), request.getContentType(), new String(bytes, StandardCharsets.UTF_8));
            PublicAnswers.text(response, 200, "ok");
        } catch (SecurityException e) {
            PublicAnswers.problem(response, 403, "Forbidden", e.getMessage(), null);
        }
    }
}
