package org.orbita.app.security;

import java.util.Collection;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Who an identity provider signed in (its ID token checked by Spring's OIDC support): their
 * Orbita account, made at the first sign-in, with the role and groups of the workspace's
 * mapping; a second factor of Orbita's own still asked when it is on.
 */
final class SsoUsers implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private final OidcUserService provider = new OidcUserService();
    private final SingleSignOn sso;
    private final Accounts accounts;

    SsoUsers(SingleSignOn sso, Accounts accounts) {
        this.sso = sso;
        this.accounts = accounts;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = provider.loadUser(request);
        Directory.Person person;
        try {
            person = sso.person(request.getClientRegistration().getRegistrationId(), user);
        } catch (SingleSignOn.SsoRefused e) {
            throw new OAuth2AuthenticationException(new OAuth2Error("access_denied", e.getMessage(), null), e.getMessage());
        }
        UserAccount account = accounts.signedInElsewhere(person);
        if (!account.active()) {
            throw new OAuth2AuthenticationException(new OAuth2Error("access_denied", "the account is deactivated in Orbita", null));
        }
        List<GrantedAuthority> authorities = List.of(new SimpleGrantedAuthority(
                account.twoFactorOn() ? SecurityConfiguration.PASSWORD_ONLY : SecurityConfiguration.FULL));
        return new SignedIn(authorities, user, account.email());
    }

    /** The provider's user as the rest of the platform knows a signed-in person: by their Orbita email. */
    static final class SignedIn extends DefaultOidcUser implements UserDetails {

        private final String email;

        SignedIn(Collection<? extends GrantedAuthority> authorities, OidcUser user, String email) {
            super(authorities, user.getIdToken(), user.getUserInfo());
            this.email = email;
        }

        @Override
        public String getUsername() {
            return email;
        }

        @Override
        public String getName() {
            return email;
        }

        @Override
        public String getPassword() {
            return null;
        }
    }
}
