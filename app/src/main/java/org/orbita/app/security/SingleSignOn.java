package org.orbita.app.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.groups.Groups;
import org.orbita.outbound.NetworkGuard;
import org.orbita.roles.Roles;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.SettingsStore;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * OpenID Connect sign-in (X4): a workspace's identity provider (Keycloak or any OIDC provider),
 * through Spring Security's OAuth2 client. The provider is found from its issuer's discovery
 * document (its host checked by the platform's {@link NetworkGuard}); someone it signs in gets
 * an Orbita account (no password of its own) with the role and groups a claim's values map to
 * (a {@code groups} or {@code roles} claim, say), set again at every sign-in. An email the
 * provider has not verified is refused. The client secret is write-only.
 */
public class SingleSignOn implements ClientRegistrationRepository {

    /** A workspace's provider. {@code clientSecret} is never shown. */
    public record Settings(String workspaceId, boolean enabled, String label, String issuer, String clientId, String clientSecret,
                           String roleClaim, Map<String, String> roleOfValue, Map<String, List<String>> groupsOfValue, String defaultRole,
                           Instant updated) {
        public Settings {
            roleOfValue = roleOfValue == null ? Map.of() : new LinkedHashMap<>(roleOfValue);
            groupsOfValue = groupsOfValue == null ? Map.of() : new LinkedHashMap<>(groupsOfValue);
            roleClaim = roleClaim == null || roleClaim.isBlank() ? "groups" : roleClaim.strip();
            label = label == null || label.isBlank() ? "Single sign-on" : label.strip();
        }

        public Shown shown() {
            return new Shown(workspaceId, enabled, label, issuer, clientId, clientSecret != null && !clientSecret.isEmpty(), roleClaim, roleOfValue,
                    groupsOfValue, defaultRole, updated);
        }
    }

    public record Shown(String workspaceId, boolean enabled, String label, String issuer, String clientId, boolean clientSecretSet,
                        String roleClaim, Map<String, String> roleOfValue, Map<String, List<String>> groupsOfValue, String defaultRole,
                        Instant updated) {}

    /** A button on the sign-in page: the provider's label and where it starts. */
    public record Button(String label, String path) {}

    private final CachedDocuments<Settings> settings;
    private final Roles roles;
    private final Groups groups;
    private final NetworkGuard guard;
    private final Access access;
    private final Clock clock;
    private final Map<String, Found> registrations = new ConcurrentHashMap<>();

    /** A provider's registration as discovered, for the settings it was made from. */
    private record Found(Settings from, ClientRegistration registration, Instant at) {}

    public SingleSignOn(SettingsStore store, Roles roles, Groups groups, NetworkGuard guard, Access access, Clock clock) {
        this.settings = new CachedDocuments<>(store, "single-sign-on", Settings.class, Settings::workspaceId, Duration.ofSeconds(10), clock);
        this.roles = roles;
        this.groups = groups;
        this.guard = guard;
        this.access = access;
        this.clock = clock;
    }

    public Optional<Shown> get(String workspaceId) {
        access.require(Resource.SETTINGS, Action.READ);
        return settings.get(workspaceId).map(Settings::shown);
    }

    /** Saves the provider; a client secret left out keeps the saved one. Each bad value is named. */
    public Shown save(String workspaceId, Settings in) {
        access.require(Resource.SETTINGS, Action.WRITE);
        List<FieldError> errors = new ArrayList<>();
        try {
            URI u = new URI(in.issuer() == null ? "" : in.issuer().strip());
            if (u.getScheme() == null || !List.of("https", "http").contains(u.getScheme().toLowerCase(Locale.ROOT)) || u.getHost() == null) {
                errors.add(FieldError.of("issuer", in.issuer(), "must be the provider's issuer URL, such as https://id.example.com/realms/shop"));
            }
        } catch (URISyntaxException e) {
            errors.add(FieldError.of("issuer", in.issuer(), "must be the provider's issuer URL, such as https://id.example.com/realms/shop"));
        }
        if (in.clientId() == null || in.clientId().isBlank()) {
            errors.add(FieldError.of("clientId", in.clientId(), "is required: the client Orbita is at the provider"));
        }
        new OutsideMapping(in.roleOfValue(), in.groupsOfValue(), in.defaultRole()).check(workspaceId, roles, groups, "roleOfValue", "groupsOfValue",
                errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Optional<Settings> old = settings.get(workspaceId);
        String secret = in.clientSecret() != null ? in.clientSecret() : old.map(Settings::clientSecret).orElse(null);
        Settings saved = settings.put(new Settings(workspaceId, in.enabled(), in.label(), in.issuer().strip().replaceAll("/+$", ""),
                in.clientId().strip(), secret, in.roleClaim(), in.roleOfValue(), in.groupsOfValue(),
                in.defaultRole() == null || in.defaultRole().isBlank() ? null : in.defaultRole().strip(), clock.instant()));
        registrations.remove(workspaceId);
        return access.recorded(Resource.SETTINGS, Action.WRITE, old.map(Settings::shown).orElse(null), saved.shown());
    }

    /** The sign-in page's buttons: one per workspace whose provider is on. */
    public List<Button> buttons() {
        return settings.list().stream().filter(Settings::enabled)
                .map(s -> new Button(s.label(), "/oauth2/authorization/" + s.workspaceId())).toList();
    }

    /**
     * The workspace's provider for Spring's OAuth2 client, found from the issuer's discovery
     * document (kept 10 minutes, or until the settings change); null when none is on.
     */
    @Override
    public ClientRegistration findByRegistrationId(String workspaceId) {
        Settings s = settings.get(workspaceId).filter(Settings::enabled).orElse(null);
        if (s == null) {
            return null;
        }
        Found found = registrations.get(workspaceId);
        if (found != null && found.from().equals(s) && found.at().isAfter(clock.instant().minus(Duration.ofMinutes(10)))) {
            return found.registration();
        }
        try {
            guard.check(URI.create(s.issuer()).getHost());
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalStateException("the identity provider of workspace " + workspaceId + " may not be reached: " + e.getMessage(), e);
        }
        ClientRegistration r = ClientRegistrations.fromIssuerLocation(s.issuer())
                .registrationId(workspaceId).clientId(s.clientId()).clientSecret(s.clientSecret() == null ? "" : s.clientSecret())
                .scope("openid", "email", "profile").redirectUri("{baseUrl}/login/oauth2/code/{registrationId}").build();
        for (String endpoint : new String[] {r.getProviderDetails().getTokenUri(), r.getProviderDetails().getJwkSetUri()}) {
            try {
                guard.check(URI.create(endpoint).getHost());
            } catch (UnknownHostException | SecurityException e) {
                throw new IllegalStateException("the identity provider's endpoint " + endpoint + " may not be reached: " + e.getMessage(), e);
            }
        }
        registrations.put(workspaceId, new Found(s, r, clock.instant()));
        return r;
    }

    /** Someone the provider signed in: their email (verified), name, and the role and groups their claim's values give. */
    public Directory.Person person(String workspaceId, OidcUser user) {
        Settings s = settings.get(workspaceId).orElseThrow(() -> new IllegalStateException("no provider for " + workspaceId));
        String email = user.getEmail();
        if (email == null || !email.contains("@")) {
            throw new SsoRefused("the provider gave no email for this person");
        }
        if (Boolean.FALSE.equals(user.getEmailVerified())) {
            throw new SsoRefused("the provider has not verified this person's email");
        }
        Object claim = user.getClaims().get(s.roleClaim());
        List<String> values = claim instanceof Collection<?> c ? c.stream().map(String::valueOf).toList()
                : claim == null ? List.of() : List.of(String.valueOf(claim));
        OutsideMapping mapping = new OutsideMapping(s.roleOfValue(), s.groupsOfValue(), s.defaultRole());
        String role = mapping.role(values, v -> v)
                .orElseThrow(() -> new SsoRefused("none of this person's " + s.roleClaim() + " is given a role in Orbita"));
        String name = user.getFullName() != null ? user.getFullName() : email;
        return new Directory.Person(workspaceId, email.strip().toLowerCase(Locale.ROOT), name, role, mapping.groups(values, v -> v));
    }

    /** The provider signed someone in whom Orbita does not let in. */
    public static class SsoRefused extends RuntimeException {
        SsoRefused(String why) {
            super(why);
        }
    }
}
