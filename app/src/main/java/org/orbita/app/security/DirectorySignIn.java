package org.orbita.app.security;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The sign-in form's second way in: after local accounts (tried first, so a local administrator
 * signs in whatever the directory's state), each workspace's directory. Someone the directory
 * lets in gets an Orbita account without a password of its own (made at the first sign-in), with
 * the role and groups their directory groups give, set again at every sign-in. A directory that
 * does not answer ends the attempt with a clear message in 5 seconds.
 */
public class DirectorySignIn implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(DirectorySignIn.class);

    private final Directory directory;
    private final Accounts accounts;

    public DirectorySignIn(Directory directory, Accounts accounts) {
        this.directory = directory;
        this.accounts = accounts;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String name = attempt.getName();
        String password = attempt.getCredentials() == null ? null : attempt.getCredentials().toString();
        Optional<UserAccount> local = accounts.findUser(name == null ? "" : name);
        if (local.isPresent() && local.get().passwordHash() != null) {
            return null; // a local account: its password is the only one that counts
        }
        List<Directory.Settings> directories = directory.enabled();
        if (directories.isEmpty()) {
            return null;
        }
        RuntimeException last = null;
        for (Directory.Settings d : directories) {
            try {
                Directory.Person p = directory.authenticate(d, name, password);
                UserAccount user = accounts.signedInElsewhere(p);
                if (!user.active()) {
                    throw new DisabledException("the account is deactivated in Orbita");
                }
                List<SimpleGrantedAuthority> authorities = List.of(new SimpleGrantedAuthority(
                        user.twoFactorOn() ? SecurityConfiguration.PASSWORD_ONLY : SecurityConfiguration.FULL));
                UserDetails details = User.withUsername(user.email()).password("").authorities(authorities).build();
                UsernamePasswordAuthenticationToken done = UsernamePasswordAuthenticationToken.authenticated(details, null, authorities);
                done.setDetails(attempt.getDetails());
                return done;
            } catch (Directory.Refused e) {
                last = new BadCredentialsException(e.getMessage());
            } catch (Directory.Unreachable e) {
                log.warn("Directory of workspace {} unreachable: {}", d.workspaceId(), e.getMessage());
                last = new AuthenticationServiceException(e.getMessage());
            }
        }
        throw (org.springframework.security.core.AuthenticationException) last;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
