package org.orbita.app.security;

import java.util.List;
import org.orbita.ui.SignInOptions;
import org.springframework.stereotype.Component;

/** The sign-in page's buttons: one per workspace whose identity provider is on. */
@Component
class SsoButtons implements SignInOptions {

    private final SingleSignOn sso;

    SsoButtons(SingleSignOn sso) {
        this.sso = sso;
    }

    @Override
    public List<Option> providers() {
        return sso.buttons().stream().map(b -> new Option(b.label(), b.path())).toList();
    }
}
