package org.orbita.inbound.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.orbita.inbound.InboundLog;
import org.orbita.inbound.InboundLog.Received;
import org.orbita.inbound.InboundLog.State;

/** What the inbound log does on every engine it runs on. */
public abstract class InboundLogContract {

    protected abstract InboundLog log();

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static Received call(String id, String source, String key, Instant at) {
        return new Received(id, "ws", source, at, "application/json", "{\"n\":\"" + id + "\"}", key, State.ACCEPTED, null, null, null, 0);
    }

    @Test
    void aSourcesKeyIsKeptOnceWhileCallsWithoutOneAllAre() {
        InboundLog l = log();
        assertThat(l.add(call("r1", "crm", "deal-1", T))).isTrue();
        assertThat(l.add(call("r2", "crm", "deal-1", T))).as("the same key").isFalse();
        assertThat(l.add(call("r3", "shop", "deal-1", T))).as("another source's key").isTrue();
        assertThat(l.add(call("r4", "crm", null, T))).isTrue();
        assertThat(l.add(call("r5", "crm", null, T))).isTrue();
        assertThat(l.list("ws", "crm", null, null, 10)).extracting(Received::id).containsExactly("r5", "r4", "r1");
        assertThat(l.list("ws", "crm", null, "r5", 1)).extracting(Received::id).containsExactly("r4");
        assertThat(l.get("other", "r1")).isEmpty();
    }

    @Test
    void outcomesAreKeptFilteredCountedAndForgotten() {
        InboundLog l = log();
        l.add(call("r1", "crm", null, T));
        l.add(call("r2", "crm", null, T.plusSeconds(60)));
        l.outcome("r1", State.REJECTED, "contact.email: missing", null, null, false);
        assertThat(l.list("ws", "crm", State.REJECTED, null, 10)).singleElement().satisfies(r -> assertThat(r.error()).contains("contact.email"));
        l.outcome("r1", State.ACCEPTED, null, "p1", "e1", true);
        Received r1 = l.get("ws", "r1").orElseThrow();
        assertThat(r1.state()).isEqualTo(State.ACCEPTED);
        assertThat(r1.profileId()).isEqualTo("p1");
        assertThat(r1.eventId()).isEqualTo("e1");
        assertThat(r1.replays()).isEqualTo(1);
        assertThat(r1.body()).isEqualTo("{\"n\":\"r1\"}");
        assertThat(l.purge(T.plusSeconds(30))).isEqualTo(1);
        l.forget("ws", "crm");
        assertThat(l.list("ws", "crm", null, null, 10)).isEmpty();
    }

    @Test
    void manyCallsAreKeptAndAnsweredInOneWriteEachKeyOnce() {
        InboundLog l = log();
        l.add(call("r0", "crm", "deal-0", T));
        boolean[] kept = l.addAll(java.util.List.of(call("r1", "crm", "deal-1", T), call("r2", "crm", "deal-0", T), call("r3", "crm", "deal-1", T),
                call("r4", "crm", null, T)));
        assertThat(kept).as("a key stored before, and one earlier in the same list, are not kept again").containsExactly(true, false, false, true);
        l.outcomes(java.util.List.of(new InboundLog.Made("r1", State.ACCEPTED, null, "p1", "e1", false),
                new InboundLog.Made("r4", State.REJECTED, "lead.email: missing", null, null, true)));
        assertThat(l.get("ws", "r1").orElseThrow().profileId()).isEqualTo("p1");
        Received r4 = l.get("ws", "r4").orElseThrow();
        assertThat(r4.state()).isEqualTo(State.REJECTED);
        assertThat(r4.error()).isEqualTo("lead.email: missing");
        assertThat(r4.replays()).isEqualTo(1);
        assertThat(l.get("ws", "r2")).isEmpty();
    }
}
