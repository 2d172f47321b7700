package org.orbita.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.orbita.access.Actor;
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
    private final Clock clock;

    ApiKeyAuthenticationFilter(Accounts accounts, AuthenticationEntryPoint entryPoint, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
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
        if (k.expires() != null && !k.expires().isAfter(clock.instant())) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("the API key has expired"));
            return;
        }
        if (!accounts.ownerActive(k)) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("the API key's user is deactivated"));
            return;
        }
        // what the key may do: its scopes within its user's role; a scope none of whose permissions remain is not held
        Set<String> permissions = accounts.permissionsOf(k);
        List<String> held = k.scopes().stream().filter(s -> Scope.fromId(s).permissions().stream().anyMatch(permissions::contains)).toList();
        var authorities = held.stream().map(s -> new SimpleGrantedAuthority("SCOPE_" + s)).toList();
        // what it sees: its user's groups (a key of no user, the administrator's, sees all)
        Set<String> groups = k.ownerId() == null ? k.sight(List.of(Actor.ALL_GROUPS))
                : accounts.user(k.ownerId()).map(u -> k.sight(u.groupsIn(k.workspaceId()))).orElse(Set.of());
        var auth = new UsernamePasswordAuthenticationToken(new ApiPrincipal(k.id(), k.workspaceId(), held, permissions, groups), null, authorities);
        accounts.used(k);
        SecurityContextHolder.getContext().setAuthentication(auth);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
