package org.orbita.app.popups;

import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.audiences.SegmentMembers;
import org.orbita.audiences.Segments;
import org.orbita.common.Signer;
import org.orbita.forms.FormLinks;
import org.orbita.forms.Forms;
import org.orbita.popups.Popups;
import org.orbita.settings.SettingsStore;
import org.orbita.sites.SiteHits;
import org.orbita.sites.Sites;
import org.orbita.sites.Visitors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Pop-ups on the tracked sites: made in the UI or the API, shown by the site's script, their events among the site's hits. */
@Configuration(proxyBeanMethods = false)
class PopupsConfiguration {

    @Bean
    Popups popups(SettingsStore settings, Sites sites, Visitors visitors, SegmentMembers members, Segments segments, Forms forms, FormLinks links,
                  Signer signer, Access access, Clock clock, SiteHits hits) {
        Popups popups = new Popups(settings, sites, visitors, members, segments::databaseOf,
                (ws, formId) -> forms.name(ws, formId).map(name -> links.base(ws, formId) + "/form.js"),
                signer, access, clock);
        hits.popups(popups::facts);
        return popups;
    }
}
