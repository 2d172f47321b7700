package org.orbita.app.forms;

import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.common.Signer;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.forms.FormConfirmations;
import org.orbita.forms.FormLinks;
import org.orbita.forms.FormResults;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.forms.FormSubmissions;
import org.orbita.forms.Forms;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileWriting;
import org.orbita.settings.SettingsStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Forms and surveys: the forms, what their visitors send, and their results. */
@Configuration(proxyBeanMethods = false)
class FormsConfiguration {

    @Bean
    Forms forms(SettingsStore settings, ClientDatabases databases, Signer signer, Access access, Clock clock, Messages messages) {
        return new Forms(settings, databases, signer, access, clock, (ws, id) -> messages.find(ws, id).map(m -> m.email() != null).orElse(false));
    }

    @Bean
    FormSubmissions formSubmissions(Forms forms, ClientDatabases databases, org.orbita.profiles.ProfileStore store, ProfileWriting writing,
                                    EventLog events, Signer signer, Clock clock) {
        return new FormSubmissions(forms, databases, store, writing, events, signer, clock);
    }

    @Bean
    FormConfirmations formConfirmations(Forms forms, ClientDatabases databases, org.orbita.profiles.ProfileStore store, ProfileWriting writing,
                                        org.orbita.sending.DirectSends sends, Messages messages, FormLinks links, Signer signer, Clock clock) {
        return new FormConfirmations(forms, databases, store, writing, sends, messages::find, links, signer, clock);
    }

    @Bean
    FormLinks formLinks(OrbitaProperties props, WorkspaceDefaults defaults) {
        return new FormLinks(props.content().publicUrl(), defaults::trackingUrl);
    }

    @Bean
    FormResults formResults(Forms forms, EventLog events, Access access) {
        return new FormResults(forms, events, access);
    }
}
