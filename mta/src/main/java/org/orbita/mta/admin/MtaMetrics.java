package org.orbita.mta.admin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.orbita.mta.delivery.Deliveries;
import org.orbita.mta.delivery.Outcome;

/** Counts injected recipients and outcomes per site, shown in Prometheus' text format. */
public final class MtaMetrics implements Deliveries.Listener {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder injected = new LongAdder();

    private final LongAdder duplicates = new LongAdder();

    public void injected(int recipients) {
        injected.add(recipients);
    }

    /** A message whose idempotency key was spooled before: answered, not spooled again. */
    public void duplicate() {
        duplicates.increment();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    @Override
    public void outcome(Outcome o) {
        String kind = switch (o) {
            case Outcome.Delivered d -> "delivered";
            case Outcome.Deferred d -> "deferred";
            case Outcome.Bounced b -> "bounced";
        };
        counts.computeIfAbsent(kind + "\u0000" + o.site(), k -> new LongAdder()).increment();
    }

    public long total(String kind) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(kind + "\u0000")).mapToLong(e -> e.getValue().sum()).sum();
    }

    public String prometheus(Deliveries deliveries) {
        StringBuilder s = new StringBuilder();
        s.append("# TYPE orbita_mta_injected_recipients_total counter\norbita_mta_injected_recipients_total ").append(injected.sum()).append('\n');
        s.append("# TYPE orbita_mta_duplicates_total counter\norbita_mta_duplicates_total ").append(duplicates.sum()).append('\n');
        s.append("# TYPE orbita_mta_recipients_total counter\n");
        counts.forEach((k, v) -> {
            String[] p = k.split("\u0000", 2);
            s.append("orbita_mta_recipients_total{outcome=\"").append(p[0]).append("\",site=\"").append(escape(p[1])).append("\"} ").append(v.sum()).append('\n');
        });
        s.append("# TYPE orbita_mta_queue_ready gauge\n# TYPE orbita_mta_queue_deferred gauge\n");
        for (Deliveries.QueueInfo q : deliveries.queues()) {
            s.append("orbita_mta_queue_ready{site=\"").append(escape(q.site())).append("\"} ").append(q.ready()).append('\n');
            s.append("orbita_mta_queue_deferred{site=\"").append(escape(q.site())).append("\"} ").append(q.deferred()).append('\n');
        }
        return s.toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
