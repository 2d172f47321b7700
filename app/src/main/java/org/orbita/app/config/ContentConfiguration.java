package org.orbita.app.config;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.orbita.access.Access;
import org.orbita.content.ExternalData;
import org.orbita.content.Links;
import org.orbita.content.Messages;
import org.orbita.content.Snippets;
import org.orbita.content.Templates;
import org.orbita.outbound.NetworkGuard;
import org.orbita.sending.DnsTxt;
import org.orbita.sending.MtaNodes;
import org.orbita.sending.SenderDomains;
import org.orbita.settings.KeptSecrets;
import org.orbita.settings.SettingsStore;
import org.orbita.settings.WorkspaceDefaults;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Templates, snippets, messages, outside data sources and the signed links messages carry. */
@Configuration(proxyBeanMethods = false)
class ContentConfiguration {

    @Bean
    Templates templates() {
        return new Templates();
    }

    @Bean
    Snippets snippets(Access access, SettingsStore settings, Templates templates, Clock clock) {
        return new Snippets(settings, templates, clock, access);
    }

    @Bean
    NetworkGuard networkGuard(OrbitaProperties props) {
        return new NetworkGuard(props.content().external().allowPrivate(), props.content().external().allowedHosts());
    }

    @Bean
    ExternalData externalData(SettingsStore settings, Templates templates, NetworkGuard guard, Clock clock) {
        return new ExternalData(settings, templates, guard, clock);
    }

    /** Links signed with the configured secret, or with one made at first start and kept in the settings store. */
    @Bean
    WorkspaceDefaults workspaceDefaults(Access access, SettingsStore settings) {
        return new WorkspaceDefaults(settings, access);
    }

    @Bean
    Links links(OrbitaProperties props, SettingsStore settings, WorkspaceDefaults defaults, Clock clock) {
        String secret = new KeptSecrets(settings).get("link-key", props.content().linkSecret(), () -> KeptSecrets.random(32));
        Links links = new Links(props.content().publicUrl(), secret.getBytes(StandardCharsets.UTF_8), props.content().linkLifetime(), clock);
        links.workspaceBaseUrls(defaults::trackingUrl);
        return links;
    }

    @Bean
    MtaNodes mtaNodes(Access access, OrbitaProperties props, QueueConfiguration.EmbeddedSecrets secrets) throws java.io.IOException {
        List<MtaNodes.Node> nodes = new ArrayList<>(props.mtaNodes().stream()
                .map(n -> new MtaNodes.Node(n.name() == null ? n.url() : n.name(), n.url(), n.token())).toList());
        if (props.queue().kind().equals("embedded") && props.queue().embeddedMta()) {
            // the node this process runs (EmbeddedMtaConfiguration), on its admin port
            int port = EmbeddedMtaConfiguration.settings(props, secrets).number("mta.http.port", 8025);
            nodes.add(0, new MtaNodes.Node("embedded", "http://127.0.0.1:" + port, secrets.mtaToken()));
        }
        return new MtaNodes(nodes, access);
    }

    @Bean
    SenderDomains senderDomains(Access access, SettingsStore settings, MtaNodes nodes, OrbitaProperties props, Clock clock) {
        return new SenderDomains(settings, nodes, new DnsTxt(props.dnsServers()), clock, access);
    }

    /** Once the mail sender nodes can be reached: each gets the sender domains' keys it lacks. */
    @EventListener(ApplicationReadyEvent.class)
    void giveDkimKeysToNodes(ApplicationReadyEvent ready) {
        SenderDomains domains = ready.getApplicationContext().getBean(SenderDomains.class);
        Thread.ofVirtual().name("dkim-keys-to-nodes").start(() -> {
            int given = domains.giveKeysToNodes();
            if (given > 0) {
                LoggerFactory.getLogger(ContentConfiguration.class).info("gave {} DKIM key(s) to mail sender nodes", given);
            }
        });
    }

    @Bean
    Messages messages(Access access, SettingsStore settings, Templates templates, Snippets snippets, ExternalData external, Links links, Clock clock) {
        return new Messages(settings, templates, snippets, external, links, clock, access);
    }
}
