package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.mta.MtaTest.freePort;
import static org.orbita.mta.MtaTest.waitUntil;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.mta.config.MtaConfig;
import org.orbita.mta.delivery.Outcome;

/** Delivery routed by DNS: a name server on loopback answers MX and A queries, the MX hosts are loopback addresses. */
class MxRoutingTest {

    @TempDir
    Path dir;

    @Test
    void mxHostsAreTriedByPreferenceWithAddressFallbackNullMxNxdomainAndServfailEachHandled() throws Exception {
        int port = freePort();
        GreenMail receiver = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        receiver.start();
        try (LoopbackDns dns = new LoopbackDns()) {
            // the preferred MX listens nowhere (127.0.0.9): the second one takes the mail
            dns.mx("fail.example", 10, "mx1.fail.example").mx("fail.example", 20, "mx2.fail.example")
                    .a("mx1.fail.example", "127.0.0.9").a("mx2.fail.example", "127.0.0.1");
            dns.a("plain.example", "127.0.0.1"); // no MX: its own address
            dns.mx("nomail.example", 0, ".");    // null MX (RFC 7505)
            dns.failing.add("later.example");    // SERVFAIL until the test mends it
            Map<String, String> env = Map.of("MTA_HOSTNAME", "mta.test", "MTA_SMTP_PORT", "0", "MTA_SMTP_BIND", "127.0.0.1",
                    "MTA_HTTP_PORT", "0", "MTA_HTTP_BIND", "127.0.0.1", "MTA_SPOOL_DIR", dir.resolve("spool").toString(),
                    "MTA_DELIVERY_RETRY_BASE", "1s", "MTA_DELIVERY_TIMEOUT", "5s",
                    "MTA_DNS_SERVERS", "127.0.0.1:" + dns.port(), "MTA_DELIVERY_PORT", Integer.toString(port));
            List<Outcome> outcomes = new CopyOnWriteArrayList<>();
            try (MtaMain node = new MtaMain(new MtaConfig(null, env))) {
                node.inject("news@orbita.example", List.of("ann@fail.example", "bob@plain.example", "cid@nomail.example",
                        "dan@nowhere.example", "eve@later.example"), "Subject: routed\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
                waitUntil(() -> receiver.getReceivedMessages().length == 2);
                assertThat(inbox(receiver, "ann@fail.example")).isEqualTo(1);
                assertThat(inbox(receiver, "bob@plain.example")).isEqualTo(1);
                assertThat(node.metrics.total("bounced")).isEqualTo(2); // the null MX and the domain that does not exist
                assertThat(node.deliveries.queues()).anySatisfy(q -> assertThat(q.site()).isEqualTo("mx:mx1.fail.example,mx2.fail.example"));
                waitUntil(() -> node.metrics.total("deferred") >= 1);
                assertThat(node.deliveries.queues()).anySatisfy(q -> assertThat(q.site()).isEqualTo("dns:later.example"));

                // the name server recovers: the waiting recipient is routed again and delivered
                dns.mx("later.example", 10, "mx.later.example").a("mx.later.example", "127.0.0.1");
                dns.failing.clear();
                waitUntil(() -> receiver.getReceivedMessages().length == 3);
                assertThat(inbox(receiver, "eve@later.example")).isEqualTo(1);
                waitUntil(() -> node.spool.liveMessages() == 0);
                assertThat(node.metrics.total("delivered")).isEqualTo(3);
            }
        } finally {
            receiver.stop();
        }
    }

    /** How many messages the receiver filed for an envelope recipient. */
    static int inbox(GreenMail receiver, String address) throws Exception {
        var user = receiver.getManagers().getUserManager().getUserByEmail(address);
        return user == null ? 0 : receiver.getManagers().getImapHostManager().getInbox(user).getMessageCount();
    }
}
