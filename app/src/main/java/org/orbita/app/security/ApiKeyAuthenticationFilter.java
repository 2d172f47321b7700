package org.orbita.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer orb_…} API keys; the key is never logged. */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final Accounts accounts;
    private final AuthenticationEntryPoint entryPoint;

    ApiKeyAuthenticationFilter(Accounts accounts, AuthenticationEntryPoint entryPoint) {
        this.accounts = accounts;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiKey> key = accounts.authenticate(header.substring(7).trim());
        if (key.isEmpty()) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("the API key is not valid"));
            return;
        }
        ApiKey k = key.get();
        var authorities = k.scopes().stream().map(s -> new SimpleGrantedAuthority("SCOPE_" + s)).toList();
        var auth = new UsernamePasswordAuthenticationToken(new ApiPrincipal(k.id(), k.workspaceId(), k.scopes()), null, authorities);
        SecurityContextHolder.getContext().setAuthentication(auth);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
