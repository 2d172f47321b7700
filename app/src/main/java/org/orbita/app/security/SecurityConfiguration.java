package org.orbita.app.security;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategyConfiguration;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.orbita.access.Access;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.audit.AuditLog;
import org.orbita.audit.AuditStore;
import org.orbita.groups.Groups;
import org.orbita.outbound.NetworkGuard;
import org.orbita.roles.Roles;
import org.orbita.settings.SettingsStore;
import org.orbita.ui.shell.LoginView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.session.HttpSessionEventPublisher;

/**
 * Four filter chains: the REST API (stateless, API keys with scopes, problem+json on
 * 401/403); the recipients' links (no session); public documents (OpenAPI, Swagger UI,
 * health); and the Vaadin UI (form login, sessions, CSRF).
 */
@Configuration
@EnableWebSecurity
@EnableMethodSecurity
@Import(VaadinAwareSecurityContextHolderStrategyConfiguration.class)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** The authority of a signed-in user. */
    public static final String FULL = "ROLE_USER";
    /** The authority of a user whose password was right and whose second factor is still to come. */
    public static final String PASSWORD_ONLY = "FACTOR_PASSWORD";

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, Accounts accounts, Clock clock) throws Exception {
        var unauthorized = ProblemResponses.unauthorized();
        return http.securityMatcher("/api/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .addFilterBefore(new ApiKeyAuthenticationFilter(accounts, unauthorized, clock), AnonymousAuthenticationFilter.class)
                // Streamed downloads finish on an ASYNC dispatch; the REQUEST dispatch was already authorized.
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(ProblemResponses.forbidden()))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain recipientLinks(HttpSecurity http) throws Exception {
        // the links in messages (clicks, view in browser, one-click unsubscribe: no cookies by RFC 8058), on the public
        // origin (app/tracking/PublicOrigin): no session is read or made
        return http.securityMatcher("/t/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.disable())
                // a form's hosted page is framed by the pages that show it (its iframe code; PublicOrigin's CSP says frame-ancestors *);
                // every other page here is never framed
                .headers(h -> h.frameOptions(f -> f.disable()).addHeaderWriter(new org.springframework.security.web.header.writers
                        .DelegatingRequestMatcherHeaderWriter(new org.springframework.security.web.util.matcher.NegatedRequestMatcher(
                                org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.withDefaults().matcher("/t/f/**")),
                        new org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter(
                                org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY))))
                // nobody signs in here: what the links do, the platform does (SecurityAccess: no authentication at all)
                .anonymous(a -> a.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain publicDocuments(HttpSecurity http) throws Exception {
        // /orbita-editor/** are the editors' open-source scripts
        return http.securityMatcher("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/actuator/health/**", "/orbita-editor/**",
                        "/actuator/health")
                .csrf(c -> c.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain ui(HttpSecurity http, SignInGuard guard, SignInAudit audit,
                           com.vaadin.flow.spring.security.VaadinDefaultRequestCache requests, UserDetailsService users, PasswordEncoder passwords,
                           Directory directory, Accounts accounts, AuthenticationEventPublisher events, SingleSignOn sso,
                           SessionRegistry sessions) throws Exception {
        // after signing in, the page asked for, at its own address (Spring's cache would add "?continue")
        org.springframework.security.web.savedrequest.HttpSessionRequestCache plain = new org.springframework.security.web.savedrequest.HttpSessionRequestCache();
        plain.setMatchingRequestParameterName(null);
        requests.setDelegateRequestCache(plain);
        // the sign-in form's POST carries its page's token and is throttled before its password is checked
        SsoUsers ssoUsers = new SsoUsers(sso, accounts);
        return http.authenticationManager(signIn(users, passwords, directory, accounts, events, ssoUsers))
                // OpenID Connect: /oauth2/authorization/{workspace} goes to the workspace's provider, which comes back to /login/oauth2/code/…
                .oauth2Login(o -> o.loginPage("/login").clientRegistrationRepository(sso).failureUrl("/login?error=sso")
                        .userInfoEndpoint(u -> u.oidcUserService(ssoUsers)))
                // every signed-in browser registered: a user lists theirs and signs out the others (the ended ones go to the sign-in page)
                .sessionManagement(s -> s.maximumSessions(-1).sessionRegistry(sessions).expiredUrl("/login?error=elsewhere"))
                .addFilterBefore(new SignInFilter(guard, audit), UsernamePasswordAuthenticationFilter.class)
                .with(vaadin(), configurer -> configurer.loginView(LoginView.class)).build();
    }

    @Bean
    SignInGuard signInGuard(OrbitaProperties props, Clock clock) {
        return new SignInGuard(props.signIn(), clock);
    }

    @Bean
    SignInAudit signInAudit(AuditLog audit, Accounts accounts) {
        return new SignInAudit(audit, accounts);
    }

    @Bean
    AuditLog auditLog(AuditStore store, Clock clock, Access access) {
        return new AuditLog(store, clock, access);
    }

    /** Removes the audit log's lines past the retention: at start, then every six hours. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService auditRetention(AuditLog audit, OrbitaProperties props) {
        ScheduledExecutorService pruner = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("audit-retention").daemon().factory());
        pruner.scheduleWithFixedDelay(() -> {
            try {
                long removed = audit.prune(props.audit().retention());
                if (removed > 0) {
                    log.info("Audit log: {} lines older than {} removed", removed, props.audit().retention());
                }
            } catch (RuntimeException e) {
                log.error("Audit log: removing lines past the retention failed; tried again in six hours", e);
            }
        }, 1, Duration.ofHours(6).toMinutes(), TimeUnit.MINUTES);
        return pruner;
    }

    @Bean
    SignInEvents signInEvents(SignInGuard guard, SignInAudit audit) {
        return new SignInEvents(guard, audit);
    }

    /** Local accounts first (a local administrator signs in whatever the directory's state), then each workspace's directory. */
    static AuthenticationManager signIn(UserDetailsService users, PasswordEncoder passwords, Directory directory, Accounts accounts,
                                        AuthenticationEventPublisher events, SsoUsers ssoUsers) {
        DaoAuthenticationProvider local = new DaoAuthenticationProvider(passwords);
        local.setUserDetailsService(users);
        // an identity provider's answer (the code exchanged, the ID token checked), for OIDC sign-in
        OidcAuthorizationCodeAuthenticationProvider oidc = new OidcAuthorizationCodeAuthenticationProvider(
                new RestClientAuthorizationCodeTokenResponseClient(), ssoUsers);
        ProviderManager manager = new ProviderManager(local, new DirectorySignIn(directory, accounts), oidc);
        manager.setAuthenticationEventPublisher(events); // the throttling and the audit hear every outcome
        return manager;
    }

    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    /** Tells the session registry when a session ends (signed out, timed out). */
    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }

    @Bean
    Sessions sessions(SessionRegistry registry) {
        return new Sessions(registry);
    }

    @Bean
    SingleSignOn singleSignOn(SettingsStore store, Roles roles, Groups groups, NetworkGuard guard, Access access, Clock clock) {
        return new SingleSignOn(store, roles, groups, guard, access, clock);
    }

    @Bean
    Directory directory(SettingsStore store, Roles roles, Groups groups, NetworkGuard guard, Access access, Clock clock) {
        return new Directory(store, roles, groups, guard, access, clock);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    UserDetailsService userDetailsService(Accounts accounts) {
        // a deactivated user, or one invited who has not yet set a password, cannot sign in
        return email -> accounts.findUser(email).filter(u -> u.active() && u.passwordHash() != null)
                // with a second factor on, the password alone gives no role: the pages send the user to /two-factor first
                .map(u -> User.withUsername(u.email()).password(u.passwordHash())
                        .authorities(u.twoFactorOn() ? List.of(new SimpleGrantedAuthority(PASSWORD_ONLY)) : List.of(new SimpleGrantedAuthority(FULL)))
                        .build())
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
