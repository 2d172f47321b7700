package org.orbita.app.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.orbita.audiences.SegmentReactor;
import org.orbita.campaigns.Conversions;
import org.orbita.campaigns.TriggerCampaigns;
import org.orbita.events.EventBus;
import org.orbita.forms.FormConfirmations;
import org.orbita.journeys.runtime.JourneyRuntime;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who hears the event bus — every reaction of the platform, in one place. Real-time segments
 * look on the appending thread (they queue the profiles and keep recent behaviour); trigger
 * campaigns, conversions and journeys react on threads of their own, a profile's events in
 * order. Each listener's deliveries, failures and queue are metrics
 * ({@code orbita.events.listener.*}, tag {@code listener}).
 */
@Configuration(proxyBeanMethods = false)
class EventReactions {

    /** The listeners, registered once every capability that reacts is built. */
    record Registered(EventBus bus) {}

    @Bean
    Registered eventListeners(EventBus bus, SegmentReactor segments, TriggerCampaigns triggers, Conversions conversions, JourneyRuntime journeys,
            FormConfirmations confirmations, org.orbita.market.ShopActivity shop, org.orbita.webhooks.Webhooks webhooks, MeterRegistry metrics) {
        bus.listen("segments", segments::appended);
        // webhooks for any event: each call owed is kept in the outbox before the append returns (sent by their own threads)
        bus.listen("webhooks-outbox", webhooks::appended);
        // an event that skips triggers (a goal registered so) starts no campaign and moves no journey
        bus.listenAsync("trigger-campaigns", 1, 100_000, 500, e -> !e.skipsTriggers() && triggers.wants(e), triggers::appended);
        bus.listenAsync("conversions", 1, 10_000, 500, conversions::wants, conversions::appended);
        // what journeys want is kept in their inbox as it is appended (taken again after a crash), then queued:
        // an entry waits for the engine's answer, so several workers, each profile's events on one of them, in order
        bus.listen("journeys-inbox", events -> journeys.pend(events.stream().filter(e -> !e.skipsTriggers()).toList()));
        bus.listenAsync("journeys", 4, 100_000, 200, e -> !e.skipsTriggers() && journeys.wants(e), journeys::appended);
        // a form's double opt-in: the confirmation message, once the submission is stored
        bus.listenAsync("form-confirmations", 1, 10_000, 50, FormConfirmations::wanted, confirmations::submitted);
        // carts and product views, from the sites' e-commerce events and orders
        bus.listenAsync("shop-activity", 1, 10_000, 500, org.orbita.market.ShopActivity::wants, shop::appended);
        for (EventBus.ListenerStats s : bus.stats()) {
            String name = s.name();
            FunctionCounter.builder("orbita.events.listener.delivered", bus, b -> stat(b, name).delivered()).tag("listener", name)
                    .description("batches of events the listener handled").register(metrics);
            FunctionCounter.builder("orbita.events.listener.failed", bus, b -> stat(b, name).failed()).tag("listener", name)
                    .description("batches the listener failed on (logged with the events)").register(metrics);
            Gauge.builder("orbita.events.listener.waiting", bus, b -> stat(b, name).waiting()).tag("listener", name)
                    .description("events queued for the listener").register(metrics);
        }
        FunctionCounter.builder("orbita.events.loops.stopped", bus, EventBus::loopsStopped)
                .description("appends whose reaction chain was too deep to hand on").register(metrics);
        return new Registered(bus);
    }

    private static EventBus.ListenerStats stat(EventBus bus, String name) {
        return bus.stats().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
