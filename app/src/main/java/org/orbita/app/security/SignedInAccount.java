package org.orbita.app.security;

import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import java.util.List;
import org.orbita.access.Totp;
import org.orbita.common.InvalidInputException;
import org.orbita.ui.MyAccount;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/** The account page and the sign-in's second step, over the accounts, for whoever is signed in to this session. */
@Component
class SignedInAccount implements MyAccount {

    private final Accounts accounts;
    private final TwoFactorSignIn twoFactor;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    private final SignedInUser pages;
    private final SecurityPolicies policies;
    private final SignInAudit signIns;
    private final Sessions browsers;

    SignedInAccount(Accounts accounts, TwoFactorSignIn twoFactor, SignedInUser pages, SecurityPolicies policies, SignInAudit signIns,
                    Sessions sessions) {
        this.browsers = sessions;
        this.signIns = signIns;
        this.accounts = accounts;
        this.twoFactor = twoFactor;
        this.pages = pages;
        this.policies = policies;
    }

    private static Authentication authentication() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null || !(a.getPrincipal() instanceof UserDetails)) {
            throw new IllegalStateException("nobody is signed in");
        }
        return a;
    }

    private UserAccount account() {
        return accounts.findUser(authentication().getName()).orElseThrow(() -> new IllegalStateException("the signed-in user no longer exists"));
    }

    private UserAccount signedIn() {
        if (awaitingSecondFactor()) {
            throw new IllegalStateException("the second factor is still to come");
        }
        return account();
    }

    @Override
    public List<SignIn> signIns(int limit) {
        signedIn();
        return signIns.mine(limit).stream().map(e -> new SignIn(e.at(), e.address(), e.agent(), e.outcome())).toList();
    }

    private static String currentSessionId() {
        VaadinServletRequest request = VaadinServletRequest.getCurrent();
        jakarta.servlet.http.HttpSession session = request == null ? null : request.getHttpServletRequest().getSession(false);
        return session == null ? null : session.getId();
    }

    @Override
    public List<Session> sessions() {
        UserAccount u = signedIn();
        return browsers.list(u.email(), currentSessionId()).stream().map(s -> new Session(s.id(), s.lastRequest(), s.current())).toList();
    }

    @Override
    public int signOutElsewhere() {
        UserAccount u = signedIn();
        return browsers.endOthers(u.email(), currentSessionId());
    }

    @Override
    public Me me() {
        UserAccount u = signedIn();
        String workspace = pages.workspaceOf(u);
        return new Me(u.email(), u.name(), u.twoFactorOn(), workspace != null && policies.of(workspace).requireTwoFactor(),
                policies.passwordExpired(u), policies.passwordPolicyFor(u));
    }

    @Override
    public void rename(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", name, "is required, at most 100 characters");
        }
        accounts.saveUser(signedIn().withName(name.strip()));
    }

    @Override
    public void changePassword(String current, String next) {
        UserAccount u = signedIn();
        if (!accounts.passwordMatches(u, current)) {
            throw new InvalidInputException("current", null, "is not your current password");
        }
        accounts.setPassword(u, next, policies.passwordPolicyFor(u));
    }

    @Override
    public Enrollment startTwoFactor() {
        UserAccount u = signedIn();
        String secret = twoFactor.start(u);
        return new Enrollment(secret, Totp.uri("Orbita", u.email(), secret));
    }

    @Override
    public List<String> confirmTwoFactor(String code) {
        return twoFactor.confirm(signedIn(), code);
    }

    @Override
    public void disableTwoFactor(String code) {
        twoFactor.disable(signedIn(), code);
    }

    @Override
    public boolean awaitingSecondFactor() {
        return authentication().getAuthorities().stream().anyMatch(g -> SecurityConfiguration.PASSWORD_ONLY.equals(g.getAuthority()));
    }

    @Override
    public boolean completeSignIn(String code) {
        if (!awaitingSecondFactor()) {
            return true;
        }
        UserAccount u = account();
        VaadinServletRequest request = VaadinServletRequest.getCurrent();
        if (!twoFactor.verifyAtSignIn(u, code, request == null ? "?" : request.getRemoteAddr())) {
            return false;
        }
        // the whole sign-in now: the same user with their role, kept in the session for the next requests
        UserDetails full = User.withUsername(u.email()).password("").authorities(List.of(new SimpleGrantedAuthority(SecurityConfiguration.FULL)))
                .build();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(full, null, full.getAuthorities()));
        SecurityContextHolder.setContext(context);
        if (request != null) {
            contexts.saveContext(context, request.getHttpServletRequest(), VaadinServletResponse.getCurrent().getHttpServletResponse());
        }
        return true;
    }
}
