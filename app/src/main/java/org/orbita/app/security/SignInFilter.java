package org.orbita.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DeferredCsrfToken;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands before the sign-in form's POST: the form must carry the session's CSRF token (the
 * one Vaadin puts in every page's {@code _csrf} meta tag and its login form posts back), so a
 * form posted from elsewhere signs nobody in (login CSRF; Vaadin's own configuration leaves
 * the login path out of Spring's check). An attempt that the {@link SignInGuard} says must
 * wait is refused before its password is looked at. Outcomes of attempts that get through
 * are counted by {@link SignInEvents}.
 */
public final class SignInFilter extends OncePerRequestFilter {

    /** The session attribute the sign-in page reads the last email typed from. */
    public static final String LAST_EMAIL = "orbita.sign-in.last-email";

    private final SignInGuard guard;
    private final SignInAudit audit;
    private final XorCsrfTokenRequestAttributeHandler tokens = new XorCsrfTokenRequestAttributeHandler();

    public SignInFilter(SignInGuard guard, SignInAudit audit) {
        this.guard = guard;
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String email = request.getParameter("username");
        String address = request.getRemoteAddr();
        if (email != null && email.length() <= 254) {
            // a refused attempt comes back to the form with the email still typed (never the password)
            request.getSession().setAttribute(LAST_EMAIL, email.strip());
        }
        // Spring's CsrfFilter has run and left the session's token here, though it did not check this path
        CsrfToken expected = request.getAttribute(DeferredCsrfToken.class.getName()) instanceof DeferredCsrfToken d ? d.get() : null;
        String given = expected == null ? null : tokens.resolveCsrfTokenValue(request, expected);
        if (given == null || !MessageDigest.isEqual(expected.getToken().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            audit.record(email, address, "no-token");
            response.sendRedirect(request.getContextPath() + "/login?error=expired");
            return;
        }
        Optional<SignInGuard.Refusal> refusal = guard.refusal(email, address);
        if (refusal.isPresent()) {
            audit.record(email, address, refusal.get().locked() ? "locked" : "throttled");
            long seconds = Math.max(1, (refusal.get().remaining().toMillis() + 999) / 1000);
            response.sendRedirect(request.getContextPath() + "/login?error=wait&seconds=" + seconds);
            return;
        }
        chain.doFilter(request, response);
    }
}
