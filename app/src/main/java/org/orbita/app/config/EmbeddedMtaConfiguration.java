package org.orbita.app.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.orbita.mta.MtaMain;
import org.orbita.mta.config.MtaConfig;
import org.orbita.queues.SendQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With the embedded broker, a mail sender node in this process on its email queue: what a
 * campaign queues is delivered by MX, or through the relay its settings name, and each
 * recipient's outcome comes back on the events queue — one command sends for real. The node
 * reads its settings as {@code ./orbita mta} does ({@code ORBITA_MTA_CONFIG}, then {@code MTA_*}
 * variables); the broker's address, the queues, the spool under the data folder and its admin
 * token are set here; its SMTP and HTTP ports listen on loopback unless configured otherwise.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${orbita.queue.kind:embedded}' == 'embedded' and '${orbita.queue.embedded-mta:true}' == 'true'")
class EmbeddedMtaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMtaConfiguration.class);

    /** The node's settings: the user's, with what this process decides over them. */
    static MtaConfig settings(OrbitaProperties props, QueueConfiguration.EmbeddedSecrets secrets) throws IOException {
        String file = System.getenv("ORBITA_MTA_CONFIG");
        Path path = file == null || file.isBlank() ? null : Path.of(file);
        MtaConfig users = new MtaConfig(path, System.getenv());
        Map<String, String> env = new HashMap<>(System.getenv());
        var q = props.queue();
        env.put("MTA_RABBITMQ_URI", "amqp://orbita:" + URLEncoder.encode(secrets.brokerPassword(), StandardCharsets.UTF_8)
                + "@127.0.0.1:" + q.embeddedPort() + "/default");
        env.put("MTA_RABBITMQ_QUEUE", q.emailQueue());
        env.put("MTA_RABBITMQ_EVENTS_QUEUE", q.emailEventsQueue());
        env.put("MTA_SPOOL_DIR", props.dataDir().resolve("mta-spool").toString());
        env.put("MTA_HTTP_TOKEN", secrets.mtaToken());
        if (users.text("mta.smtp.bind", null) == null) {
            env.put("MTA_SMTP_BIND", "127.0.0.1");
        }
        if (users.text("mta.http.bind", null) == null) {
            env.put("MTA_HTTP_BIND", "127.0.0.1");
        }
        return new MtaConfig(path, env);
    }

    /** Started after the broker (the queue bean), closed before it. */
    @Bean(destroyMethod = "close")
    MtaMain embeddedMta(OrbitaProperties props, QueueConfiguration.EmbeddedSecrets secrets, SendQueue queue) {
        queue.depth(props.queue().emailQueue()); // the broker is up before the node connects
        try {
            MtaConfig settings = settings(props, secrets);
            MtaMain node = new MtaMain(settings);
            log.info("Mail sender: in this process on {} (spool {}, SMTP {}, admin http://127.0.0.1:{})", props.queue().emailQueue(),
                    settings.text("mta.spool.dir", ""), settings.number("mta.smtp.port", 2525), settings.number("mta.http.port", 8025));
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded mail sender did not start", e);
        }
    }
}
