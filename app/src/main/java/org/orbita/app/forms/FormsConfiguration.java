package org.orbita.app.forms;

import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.common.Signer;
import org.orbita.events.EventLog;
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
    Forms forms(SettingsStore settings, ClientDatabases databases, Signer signer, Access access, Clock clock) {
        return new Forms(settings, databases, signer, access, clock);
    }

    @Bean
    FormSubmissions formSubmissions(Forms forms, ClientDatabases databases, org.orbita.profiles.ProfileStore store, ProfileWriting writing,
                                    EventLog events, Signer signer, Clock clock) {
        return new FormSubmissions(forms, databases, store, writing, events, signer, clock);
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
