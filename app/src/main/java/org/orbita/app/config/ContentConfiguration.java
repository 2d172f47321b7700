package org.orbita.app.config;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.orbita.content.ExternalData;
import org.orbita.content.Links;
import org.orbita.content.Messages;
import org.orbita.outbound.NetworkGuard;
import org.orbita.content.Snippets;
import org.orbita.content.Templates;
import org.orbita.sending.MtaNodes;
import org.orbita.settings.KeptSecrets;
import org.orbita.settings.SettingsStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Templates, snippets, messages, outside data sources and the signed links messages carry. */
@Configuration(proxyBeanMethods = false)
class ContentConfiguration {

    @Bean
    Templates templates() {
        return new Templates();
    }

    @Bean
    Snippets snippets(SettingsStore settings, Templates templates, Clock clock) {
        return new Snippets(settings, templates, clock);
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
    Links links(OrbitaProperties props, SettingsStore settings, Clock clock) {
        String secret = new KeptSecrets(settings).get("link-key", props.content().linkSecret(), () -> KeptSecrets.random(32));
        return new Links(props.content().publicUrl(), secret.getBytes(StandardCharsets.UTF_8), props.content().linkLifetime(), clock);
    }

    @Bean
    MtaNodes mtaNodes(OrbitaProperties props, QueueConfiguration.EmbeddedSecrets secrets) throws java.io.IOException {
        List<MtaNodes.Node> nodes = new ArrayList<>(props.mtaNodes().stream()
                .map(n -> new MtaNodes.Node(n.name() == null ? n.url() : n.name(), n.url(), n.token())).toList());
        if (props.queue().kind().equals("embedded") && props.queue().embeddedMta()) {
            // the node this process runs (EmbeddedMtaConfiguration), on its admin port
            int port = EmbeddedMtaConfiguration.settings(props, secrets).number("mta.http.port", 8025);
            nodes.add(0, new MtaNodes.Node("embedded", "http://127.0.0.1:" + port, secrets.mtaToken()));
        }
        return new MtaNodes(nodes);
    }

    @Bean
    Messages messages(SettingsStore settings, Templates templates, Snippets snippets, ExternalData external, Links links, Clock clock) {
        return new Messages(settings, templates, snippets, external, links, clock);
    }
}
