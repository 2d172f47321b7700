package org.orbita.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.events.Event;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.testing.EmbeddedCore;

/**
 * The reports over a known history: every figure checked against one counted by hand, and the
 * same metric agreeing across reports (the channel report's total = the sum of its campaigns'
 * rows; its bounces = the bounce report's; the non-delivery report = bounces + failures).
 */
class ReportsTest {

    static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
    static final Instant DAY1 = Instant.parse("2026-06-10T09:00:00Z");
    static final Instant DAY2 = Instant.parse("2026-06-11T21:30:00Z"); // 00:30 on 12 June in Moscow

    @TempDir
    Path dir;
    EmbeddedCore core;
    Reports reports;

    @BeforeEach
    void history() {
        core = new EmbeddedCore(dir, Clock.fixed(NOW, ZoneOffset.UTC));
        core.databases.create("ws", "shop", "Shop", new DatabaseSchema(List.of()));
        core.databases.create("ws", "club", "Club", new DatabaseSchema(List.of()));
        core.databases.create("other", "theirs", "Theirs", new DatabaseSchema(List.of()));
        List<Event> e = new ArrayList<>();
        // campaign c1 by email in shop: 4 sent, 3 delivered, 1 bounced hard (no mailbox at b.example)
        for (int i = 1; i <= 4; i++) {
            e.add(event("shop", "p" + i, "message.sent", "email", DAY1, Map.of("campaign", "c1", "message_id", "m1")));
        }
        for (int i = 1; i <= 3; i++) {
            e.add(event("shop", "p" + i, "message.delivered", "email", DAY1.plusSeconds(60), Map.of("campaign", "c1", "recipient", "p" + i + "@a.example")));
        }
        e.add(event("shop", "p4", "message.bounced", "email", DAY1.plusSeconds(60), Map.of("campaign", "c1", "kind", "hard", "reason", "no-mailbox",
                "recipient", "p4@B.example")));
        // p1 opens twice, p2 once, a proxy opens for p3; p1 clicks twice (one link), p2's click is a scanner
        e.add(event("shop", "p1", "message.opened", "email", DAY1.plusSeconds(120), Map.of("campaign", "c1", "machine", false, "device", "mobile", "os", "iOS")));
        e.add(event("shop", "p1", "message.opened", "email", DAY2, Map.of("campaign", "c1", "machine", false, "device", "mobile", "os", "iOS")));
        e.add(event("shop", "p2", "message.opened", "email", DAY1.plusSeconds(130), Map.of("campaign", "c1", "machine", false, "device", "desktop",
                "os", "Windows")));
        e.add(event("shop", "p3", "message.opened", "email", DAY1.plusSeconds(140), Map.of("campaign", "c1", "machine", true, "device", "machine",
                "os", "Other")));
        e.add(event("shop", "p1", "message.clicked", "email", DAY1.plusSeconds(200), Map.of("campaign", "c1", "machine", false, "url", "https://s.example/a",
                "device", "mobile", "os", "iOS")));
        e.add(event("shop", "p1", "message.clicked", "email", DAY2, Map.of("campaign", "c1", "machine", false, "url", "https://s.example/a",
                "device", "desktop", "os", "Windows")));
        e.add(event("shop", "p2", "message.clicked", "email", DAY1.plusSeconds(201), Map.of("campaign", "c1", "machine", true, "url", "https://s.example/b",
                "device", "machine", "os", "Other")));
        e.add(event("shop", "p2", "message.viewed_online", "email", DAY2, Map.of("campaign", "c1", "machine", false, "device", "desktop", "os", "Windows")));
        e.add(event("shop", "p2", "message.unsubscribed", "email", DAY2, Map.of("campaign", "c1")));
        e.add(event("shop", "p1", "message.converted", "email", DAY2, Map.of("campaign", "c1", "value", 100.5, "goal", "purchase")));
        e.add(event("shop", "p1", "message.converted", "email", DAY2, Map.of("campaign", "c1", "value", 20, "goal", "purchase")));
        // the observer's copy never counts
        e.add(event("shop", "boss", "message.sent", "email", DAY1, Map.of("observer_of", "c1")));
        // campaign c2 by SMS in club: 2 sent, 1 delivered, 1 failed (invalid number)
        e.add(event("club", "q1", "message.sent", "sms", DAY2, Map.of("campaign", "c2")));
        e.add(event("club", "q2", "message.sent", "sms", DAY2, Map.of("campaign", "c2")));
        e.add(event("club", "q1", "message.delivered", "sms", DAY2, Map.of("campaign", "c2")));
        e.add(event("club", "q2", "message.failed", "sms", DAY2, Map.of("campaign", "c2", "reason", "invalid number")));
        // a journey's email in club, a soft bounce
        e.add(event("club", "q3", "message.sent", "email", DAY2, Map.of("journey", "j1")));
        e.add(event("club", "q3", "message.bounced", "email", DAY2, Map.of("journey", "j1", "kind", "soft", "reason", "mailbox-full",
                "recipient", "q3@a.example")));
        // another workspace's events never show
        e.add(event("theirs", "x", "message.sent", "email", DAY1, Map.of("campaign", "c1")));
        // outside the period
        e.add(event("shop", "p1", "message.sent", "email", NOW.minusSeconds(86_400 * 60L), Map.of("campaign", "c0")));
        core.events.append(e);
        Map<String, String> names = new HashMap<>(Map.of("c1", "Summer sale", "c2", "SMS reminder", "j1", "Welcome"));
        reports = new Reports(core.events, core.databases, Access.SYSTEM, Clock.fixed(NOW, ZoneOffset.UTC), ws -> ZoneId.of("Europe/Moscow"),
                (d, ws, id) -> Optional.ofNullable(names.get(id)));
    }

    @AfterEach
    void close() {
        core.close();
    }

    private static Event event(String db, String profile, String type, String channel, Instant at, Map<String, Object> props) {
        return new Event(Ids.next(), db, profile, type, channel, at, props);
    }

    private Report run(ReportKind kind, String... groupBy) {
        return filtered(kind, null, null, groupBy);
    }

    private Report filtered(ReportKind kind, String database, String campaign, String... groupBy) {
        return reports.run("ws", kind, ReportQuery.of(kind, NOW, null, null, database, null, campaign, null, null, List.of(groupBy), false));
    }

    @Test
    void theChannelReportCountsAsDefined() {
        Report r = run(ReportKind.CHANNELS);
        Map<String, Double> email = r.rows().stream().filter(x -> x.keys().equals(List.of("email"))).findFirst().orElseThrow().values();
        assertThat(email).containsEntry("sent", 5.0).containsEntry("delivered", 3.0).containsEntry("bounced", 2.0)
                .containsEntry("opened", 2.0).containsEntry("opens", 3.0).containsEntry("clicked", 1.0).containsEntry("clicks", 2.0)
                .containsEntry("unsubscribed", 1.0).containsEntry("converted", 2.0).containsEntry("revenue", 120.5)
                .containsEntry("delivery_rate", 60.0).containsEntry("open_rate", 66.67).containsEntry("click_rate", 33.33)
                .containsEntry("click_to_open", 50.0).containsEntry("bounce_rate", 40.0);
        Map<String, Double> sms = r.rows().stream().filter(x -> x.keys().equals(List.of("sms"))).findFirst().orElseThrow().values();
        assertThat(sms).containsEntry("sent", 2.0).containsEntry("delivered", 1.0).containsEntry("failed", 1.0).containsEntry("opened", 0.0);
        assertThat(sms.get("open_rate")).isEqualTo(0.0);
        assertThat(r.totals()).containsEntry("sent", 7.0).containsEntry("delivered", 4.0).containsEntry("opened", 2.0);
        assertThat(r.asOf()).isEqualTo(NOW);
    }

    @Test
    void trafficCountsEveryHitByDeviceMachinesToo() {
        Report r = run(ReportKind.TRAFFIC);
        Map<String, Map<String, Double>> byDevice = new HashMap<>();
        r.rows().forEach(x -> byDevice.put(x.keys().get(0), x.values()));
        assertThat(byDevice.get("mobile")).containsEntry("open_hits", 2.0).containsEntry("click_hits", 1.0).containsEntry("web_views", 0.0);
        assertThat(byDevice.get("desktop")).containsEntry("open_hits", 1.0).containsEntry("click_hits", 1.0).containsEntry("web_views", 1.0);
        assertThat(byDevice.get("machine")).containsEntry("open_hits", 1.0).containsEntry("click_hits", 1.0);
        // the unsubscribe recorded without a device (before hits carried one) stands apart
        assertThat(byDevice.get("")).containsEntry("unsubscribed", 1.0).containsEntry("open_hits", 0.0);
        assertThat(r.totals()).containsEntry("open_hits", 4.0).containsEntry("click_hits", 3.0).containsEntry("web_views", 1.0)
                .containsEntry("unsubscribed", 1.0);
        // hits less machines' are the channel report's opens and clicks
        Report channels = run(ReportKind.CHANNELS);
        assertThat(r.totals().get("open_hits") - byDevice.get("machine").get("open_hits")).isEqualTo(channels.totals().get("opens"));
        assertThat(r.totals().get("click_hits") - byDevice.get("machine").get("click_hits")).isEqualTo(channels.totals().get("clicks"));
        Report bySystem = run(ReportKind.TRAFFIC, "os", "device");
        assertThat(bySystem.rows()).extracting(x -> x.keys() + "=" + x.values().get("open_hits"))
                .contains("[iOS, mobile]=2.0", "[Windows, desktop]=1.0", "[Other, machine]=1.0");
        // the links report counts people's clicks per device; machines' never
        Report links = run(ReportKind.LINKS, "link", "device");
        assertThat(links.rows()).extracting(x -> x.keys() + "=" + x.values().get("clicks"))
                .containsExactlyInAnyOrder("[https://s.example/a, mobile]=1.0", "[https://s.example/a, desktop]=1.0");
    }

    @Test
    void sameMetricAgreesAcrossReports() {
        Report channels = run(ReportKind.CHANNELS);
        Report byCampaign = run(ReportKind.CHANNELS, "campaign");
        for (String metric : List.of("sent", "delivered", "bounced", "failed", "clicks", "opens", "converted", "revenue")) {
            double sum = byCampaign.rows().stream().mapToDouble(x -> x.values().get(metric)).sum();
            assertThat(sum).as(metric).isEqualTo(channels.totals().get(metric));
        }
        assertThat(byCampaign.rows()).extracting(x -> x.labels().get(0)).contains("Summer sale", "SMS reminder", "");
        Report bounces = run(ReportKind.BOUNCES);
        assertThat(bounces.totals().get("bounced")).isEqualTo(channels.totals().get("bounced"));
        assertThat(bounces.rows()).extracting(x -> String.join("/", x.keys()) + "=" + x.values().get("bounced"))
                .containsExactlyInAnyOrder("hard/no-mailbox=1.0", "soft/mailbox-full=1.0");
        Report failures = run(ReportKind.NON_DELIVERY);
        assertThat(failures.totals().get("bounced") + failures.totals().get("failed"))
                .isEqualTo(channels.totals().get("bounced") + channels.totals().get("failed"));
        assertThat(run(ReportKind.BOUNCES, "domain").rows()).extracting(x -> x.keys().get(0) + "=" + x.values().get("bounced"))
                .containsExactlyInAnyOrder("a.example=1.0", "b.example=1.0");
        Report goals = run(ReportKind.GOALS);
        assertThat(goals.rows()).extracting(x -> x.keys().get(0) + " " + x.values().get("converted") + " " + x.values().get("converters") + " "
                + x.values().get("revenue")).containsExactly("purchase 2.0 1.0 120.5");
        assertThat(goals.totals().get("revenue")).isEqualTo(channels.totals().get("revenue"));
        Report links = run(ReportKind.LINKS);
        assertThat(links.rows()).extracting(x -> x.keys().get(0) + "=" + x.values().get("clicks")).containsExactly("https://s.example/a=2.0");
    }

    @Test
    void daysAreTheWorkspacesDaysAndFiltersNarrow() {
        Report byDay = run(ReportKind.CHANNELS, "day");
        // Moscow's days: 10 June, and 12 June for the events at 21:30Z on the 11th
        assertThat(byDay.rows()).extracting(x -> x.keys().get(0) + "=" + x.values().get("sent"))
                .containsExactly("2026-06-09T21:00:00Z=4.0", "2026-06-11T21:00:00Z=3.0");
        Report club = filtered(ReportKind.CHANNELS, "club", null, "channel");
        assertThat(club.totals()).containsEntry("sent", 3.0);
        Report c1 = filtered(ReportKind.CHANNELS, null, "c1", "channel");
        assertThat(c1.totals()).containsEntry("sent", 4.0).containsEntry("bounced", 1.0);
        assertThatThrownBy(() -> filtered(ReportKind.CHANNELS, "theirs", null, "channel")).hasMessageContaining("database");
    }

    @Test
    void thePeriodBeforeStandsBesideIt() {
        Report r = reports.run("ws", ReportKind.CHANNELS, ReportQuery.of(ReportKind.CHANNELS, NOW, Instant.parse("2026-06-11T00:00:00Z"), NOW,
                null, null, null, null, null, List.of("channel"), true));
        // 11 June on: the second day's figures; the period before (from 22 May) has the first day's
        assertThat(r.totals()).containsEntry("sent", 3.0);
        assertThat(r.previousTotals()).containsEntry("sent", 4.0);
        assertThat(r.rows()).filteredOn(x -> x.keys().equals(List.of("email"))).singleElement()
                .satisfies(x -> assertThat(x.previous()).containsEntry("sent", 4.0).containsEntry("delivered", 3.0));
    }

    @Test
    void badQueriesAreRefusedByName() {
        assertThatThrownBy(() -> ReportQuery.of(ReportKind.BOUNCES, NOW, NOW, NOW.minusSeconds(1), null, null, "x'; DROP", null, null,
                List.of("day", "week", "link", "reason"), false))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .contains("from", "campaign", "groupBy"));
        assertThatThrownBy(() -> ReportQuery.of(ReportKind.CHANNELS, NOW, NOW.minusSeconds(86_400 * 60L), NOW, null, null, null, null, null,
                List.of("hour"), false)).hasMessageContaining("by the hour");
    }

    @Test
    void savedReportsAreEachPersonsOwnAndKeepARollingOrFixedPeriod() {
        java.util.Set<String> all = java.util.Set.of("reports:read", "reports:export");
        SavedReports ann = new SavedReports(core.settings, () -> new org.orbita.access.Actor("ann", org.orbita.access.Actor.Kind.USER, "ws", all),
                Clock.fixed(NOW, ZoneOffset.UTC));
        SavedReports bob = new SavedReports(core.settings, () -> new org.orbita.access.Actor("bob", org.orbita.access.Actor.Kind.USER, "ws", all),
                Clock.fixed(NOW, ZoneOffset.UTC));
        SavedReports.Saved rolling = ann.save("ws", "Email by day", "channels", 7, null, null, null, "email", null, null, null, List.of("day"), true, null);
        SavedReports.Saved fixed = ann.save("ws", "June bounces", "bounces", null, Instant.parse("2026-06-01T00:00:00Z"),
                Instant.parse("2026-07-01T00:00:00Z"), null, null, null, null, null, List.of("domain"), false, null);
        assertThat(ann.mine("ws")).extracting(SavedReports.Saved::name).containsExactly("Email by day", "June bounces");
        assertThat(bob.mine("ws")).isEmpty();
        assertThatThrownBy(() -> bob.get("ws", rolling.id())).hasMessageContaining("saved report");
        // a rolling period is the last N days as of when it is opened
        ReportQuery later = rolling.query(NOW.plusSeconds(86_400));
        assertThat(later.to()).isEqualTo(NOW.plusSeconds(86_400));
        assertThat(later.from()).isEqualTo(NOW.plusSeconds(86_400).minusSeconds(7 * 86_400L));
        assertThat(reports.run("ws", ReportKind.BOUNCES, fixed.query(NOW)).totals()).containsEntry("bounced", 2.0);
        assertThatThrownBy(() -> ann.save("ws", "email BY day", "channels", 7, null, null, null, null, null, null, null, List.of(), false, null))
                .hasMessageContaining("you have a saved report with this name");
        assertThatThrownBy(() -> ann.save("ws", "Odd", "channels", 7, null, null, null, null, null, null, null, List.of("link"), false, null))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("groupBy"));
        assertThatThrownBy(() -> ann.save("ws", "No period", "channels", null, null, null, null, null, null, null, null, List.of(), false, null))
                .hasMessageContaining("name the period");
        ann.delete("ws", rolling.id());
        assertThat(ann.mine("ws")).extracting(SavedReports.Saved::name).containsExactly("June bounces");
    }

    /**
     * N3 over real profile writes: new profiles by where they came from, subscriptions gained and
     * lost (a status written again is no change), the net; and the same in both rollup and raw reads.
     */
    @Test
    void growthCountsNewProfilesBySourceAndSubscriptionsGainedAndLost() {
        var shop = core.databases.find("shop").orElseThrow();
        var email = (java.util.function.Function<String, org.orbita.profiles.ProfileChange>) a -> new org.orbita.profiles.ProfileChange("id", null,
                null, List.of(new org.orbita.profiles.ProfileChange.SubscriptionInput("email", a, null, null)), null, null);
        String ann = core.writing.write(shop, email.apply("ann@a.example"), org.orbita.profiles.WriteMode.INSERT, org.orbita.profiles.ProfileSource.API)
                .profile().id();
        core.writing.write(shop, email.apply("bob@a.example"), org.orbita.profiles.WriteMode.INSERT, org.orbita.profiles.ProfileSource.API);
        core.writing.write(shop, new org.orbita.profiles.ProfileChange("id", null, null, List.of(new org.orbita.profiles.ProfileChange.SubscriptionInput(
                "sms", "+79160000001", "news", null)), null, null), org.orbita.profiles.WriteMode.INSERT, org.orbita.profiles.ProfileSource.IMPORT);
        for (int i = 0; i < 2; i++) {
            core.writing.write(shop, new org.orbita.profiles.ProfileChange("id", ann, null, List.of(new org.orbita.profiles.ProfileChange.SubscriptionInput(
                    "email", "ann@a.example", null, "unsubscribed")), null, null), org.orbita.profiles.WriteMode.UPDATE,
                    org.orbita.profiles.ProfileSource.MESSAGE);
        }
        ReportQuery q = ReportQuery.of(ReportKind.GROWTH, NOW, NOW.minusSeconds(3600), NOW.plusSeconds(3600), "shop", null, null, null, null,
                List.of("source"), false);
        Report bySource = reports.run("ws", ReportKind.GROWTH, q);
        assertThat(bySource.rows()).extracting(x -> x.keys().get(0) + " " + x.values().get("new_profiles") + " " + x.values().get("subscribed") + " "
                + x.values().get("lost_unsubscribed") + " " + x.values().get("net_subscribed"))
                .containsExactlyInAnyOrder("api 2.0 2.0 0.0 2.0", "import 1.0 1.0 0.0 1.0", "message 0.0 0.0 1.0 -1.0");
        assertThat(bySource.totals()).containsEntry("new_profiles", 3.0).containsEntry("subscribed", 3.0).containsEntry("lost_unsubscribed", 1.0)
                .containsEntry("lost_bounced", 0.0).containsEntry("net_subscribed", 2.0);
        Report byChannel = reports.run("ws", ReportKind.GROWTH, ReportQuery.of(ReportKind.GROWTH, NOW, NOW.minusSeconds(3600), NOW.plusSeconds(3600),
                "shop", null, null, null, null, List.of("day", "channel"), false));
        assertThat(byChannel.rows()).extracting(x -> x.keys().get(1) + " " + x.values().get("subscribed") + " " + x.values().get("net_subscribed"))
                .containsExactlyInAnyOrder("email 2.0 1.0", "sms 1.0 1.0", " 0.0 0.0");
        assertThat(byChannel.totals()).isEqualTo(bySource.totals());
        // the same new profiles are the cohorts of their first write
        CohortReport cohorts = reports.cohorts("ws", CohortQuery.of(NOW, NOW.minusSeconds(3600), NOW.plusSeconds(3600), "shop", null, null, "day", 3));
        assertThat(cohorts.cohorts().stream().mapToLong(CohortReport.Cohort::size).sum()).isEqualTo(3);
    }

    /**
     * N4 and N5 by hand: two profiles created on 10 June (Moscow); one opens on the 11th, converts
     * for 50 on the 12th (and a machine's open never counts): retention, revenue, cumulative LTV
     * and engaged days per period; a cohort's and a cell's members; bad questions refused by name.
     */
    @Test
    void cohortsAndLifetimeValueCountAsDefined() {
        core.events.append(List.of(
                event("shop", "a1", "profile.created", null, DAY1, Map.of()),
                event("shop", "a2", "profile.created", null, DAY1.plusSeconds(60), Map.of()),
                event("shop", "a1", "message.opened", "email", DAY1.plusSeconds(86_400), Map.of()),
                event("shop", "a2", "message.opened", "email", DAY1.plusSeconds(86_400), Map.of("machine", true)),
                event("shop", "a1", "message.converted", "email", DAY1.plusSeconds(2 * 86_400), Map.of("value", 50))));
        CohortQuery q = CohortQuery.of(NOW, Instant.parse("2026-06-01T00:00:00Z"), NOW, "shop", null, null, "day", 3);
        CohortReport r = reports.cohorts("ws", q);
        assertThat(r.cohorts()).singleElement().satisfies(c -> {
            assertThat(c.start()).isEqualTo(Instant.parse("2026-06-09T21:00:00Z"));
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.cells()).extracting(x -> x.period() + " " + x.active() + " " + x.retention() + " " + x.revenue() + " " + x.ltv() + " "
                    + x.engagedDays() + " " + x.complete())
                    .containsExactly("0 0 0.0 0.0 0.0 0.0 true", "1 1 50.0 0.0 0.0 0.5 true", "2 1 50.0 50.0 25.0 1.0 true", "3 0 0.0 0.0 25.0 1.0 true");
        });
        List<String> members = new ArrayList<>();
        reports.cohortMembers("ws", q, Instant.parse("2026-06-09T21:00:00Z"), null, members::add);
        assertThat(members).containsExactlyInAnyOrder("a1", "a2");
        members.clear();
        reports.cohortMembers("ws", q, Instant.parse("2026-06-09T21:00:00Z"), 1, members::add);
        assertThat(members).containsExactly("a1");
        assertThatThrownBy(() -> CohortQuery.of(NOW, null, null, null, List.of("bad type!"), null, "hour", 99))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("grain", "periods", "start"));
        assertThatThrownBy(() -> reports.cohortMembers("ws", CohortQuery.of(NOW, null, null, null, null, null, null, null), NOW, null, x -> { }))
                .hasMessageContaining("database");
    }

    /**
     * N6 by hand over the known history: sent → opened → clicked in shop within a week — 4, 2
     * (p3's open is a machine's), 1 (p2's click is a scanner's); step one agrees with the channel
     * report's sends; medians; drop-offs stream out; the breakdown by campaign.
     */
    @Test
    void aFunnelCountsStepsDropOffsAndMedians() {
        FunnelQuery q = FunnelQuery.of(NOW, null, null, "shop", List.of(new FunnelQuery.StepInput("message.sent", null),
                new FunnelQuery.StepInput("message.opened", Map.of("campaign", "c1")), new FunnelQuery.StepInput("message.clicked", null)),
                24 * 7, "ordered", "campaign");
        FunnelReport f = reports.funnel("ws", q);
        assertThat(f.steps()).extracting(x -> x.number() + " " + x.profiles() + " " + x.fromFirst() + " " + x.fromPrevious() + " " + x.droppedOff()
                + " " + x.medianSeconds()).containsExactly("1 4 100.0 100.0 0 null", "2 2 50.0 50.0 2 120", "3 1 25.0 50.0 1 80");
        assertThat(f.conversion()).isEqualTo(25.0);
        assertThat(f.medianSecondsToConvert()).isEqualTo(200);
        assertThat(f.breakdown()).extracting(b -> b.value() + " " + b.profiles()).containsExactly("c1 [4, 2, 1]");
        Report channels = filtered(ReportKind.CHANNELS, "shop", null, "channel");
        assertThat((double) f.steps().get(0).profiles()).isEqualTo(channels.totals().get("sent"));
        List<String> dropped = new ArrayList<>();
        reports.funnelDropOff("ws", q, 2, dropped::add);
        assertThat(dropped).containsExactlyInAnyOrder("p3", "p4");
        dropped.clear();
        reports.funnelDropOff("ws", q, 3, dropped::add);
        assertThat(dropped).containsExactly("p2");
        assertThatThrownBy(() -> reports.funnelDropOff("ws", q, 1, x -> { })).hasMessageContaining("step");
        assertThatThrownBy(() -> FunnelQuery.of(NOW, null, null, null, List.of(new FunnelQuery.StepInput("a b", null)), 0, "sideways", "x-y"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(x -> x.field())
                        .containsExactlyInAnyOrder("steps", "windowHours", "mode", "breakdown"));
    }

    /** A segment filter: only its current members' events count (from the real membership store); a segment of another workspace is not found. */
    @Test
    void aSegmentFilterCountsItsMembersEventsOnly() {
        core.members.applyMemberships("shop", List.of(new org.orbita.audiences.SegmentMembers.MembershipChange("openers", "p1", true),
                new org.orbita.audiences.SegmentMembers.MembershipChange("openers", "p2", true)));
        reports.filteringBy(new Reports.Audiences() {
            @Override
            public Optional<String> databaseOf(String workspaceId, String segmentId) {
                return workspaceId.equals("ws") && segmentId.equals("openers") ? Optional.of("shop") : Optional.empty();
            }

            @Override
            public void members(String segmentId, java.util.function.Consumer<String> each) {
                String after = null;
                for (List<String> page; !(page = core.members.members(segmentId, after, 1)).isEmpty(); after = page.get(page.size() - 1)) {
                    page.forEach(each);
                }
            }
        });
        ReportQuery q = ReportQuery.of(ReportKind.CHANNELS, NOW, null, null, null, null, null, null, null, List.of("channel"), true).inSegment("openers");
        Report r = reports.run("ws", ReportKind.CHANNELS, q);
        // p1 and p2 of campaign c1: 2 sent, 2 delivered, both opened, p1 clicked twice, p2 unsubscribed, p1 converted twice
        assertThat(r.totals()).containsEntry("sent", 2.0).containsEntry("delivered", 2.0).containsEntry("opened", 2.0).containsEntry("clicks", 2.0)
                .containsEntry("unsubscribed", 1.0).containsEntry("converted", 2.0).containsEntry("bounced", 0.0);
        assertThat(r.query().segment()).isEqualTo("openers");
        // kept with its segment, a saved report counts the members' events again when opened
        SavedReports mine = new SavedReports(core.settings, Access.SYSTEM, Clock.fixed(NOW, ZoneOffset.UTC));
        SavedReports.Saved kept = mine.save("ws", "Openers", "channels", 30, null, null, null, null, null, null, null, List.of("channel"), false,
                "openers");
        assertThat(reports.run("ws", ReportKind.CHANNELS, mine.get("ws", kept.id()).query(NOW)).totals()).containsEntry("sent", 2.0);
        assertThatThrownBy(() -> mine.save("ws", "Odd", "channels", 30, null, null, null, null, null, null, null, List.of(), false, "x'; DROP"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> reports.run("ws", ReportKind.CHANNELS, q.inSegment("theirs"))).hasMessageContaining("segment");
        assertThatThrownBy(() -> q.inSegment("x'; DROP")).isInstanceOf(InvalidInputException.class);
    }
}
