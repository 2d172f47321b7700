package org.orbita.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.orbita.campaigns.Campaigns;
import org.orbita.channels.ProviderSettings;
import org.orbita.content.ExternalData;
import org.orbita.content.Links;
import org.orbita.content.Messages;
import org.orbita.content.Snippets;
import org.orbita.content.Templates;
import org.orbita.jobs.Schedules;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.exports.ProfileExport;
import org.orbita.roles.Roles;
import org.orbita.sending.MtaNodes;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.testing.EmbeddedCore;

/**
 * Every built-in role × every permission: what the role holds is the documented table, and a
 * service of the core asked for that action by someone with the role goes on or refuses
 * accordingly — before it looks at anything else.
 */
class RoleMatrixTest {

    /** The documented table (README, "Roles"): what each built-in role may do. */
    private static final Map<String, Set<String>> TABLE = Map.of(
            "owner", Set.copyOf(Permission.ids(Permission.all())),
            "administrator", Set.copyOf(Permission.ids(Permission.all())),
            "marketer", Set.of("databases:read", "profiles:read", "profiles:write", "profiles:delete", "profiles:export",
                    "segments:read", "segments:write", "segments:delete", "segments:export", "messages:read", "messages:write", "messages:delete",
                    "snippets:read", "snippets:write", "snippets:delete", "campaigns:read", "campaigns:write", "campaigns:delete", "campaigns:launch",
                    "journeys:read", "journeys:write", "journeys:delete", "journeys:launch", "sites:read", "sites:write", "sites:delete",
                    "forms:read", "forms:write", "forms:delete", "forms:export",
                    "promo:read", "promo:write", "promo:delete", "promo:export", "market:read", "market:write", "market:delete",
                    "reports:read", "reports:export", "mail-queues:read", "settings:read"),
            "analyst", Set.of("databases:read", "profiles:read", "profiles:export", "segments:read", "segments:export", "messages:read",
                    "snippets:read", "campaigns:read", "journeys:read", "sites:read", "forms:read", "forms:export", "promo:read", "promo:export", "market:read", "reports:read",
                    "reports:export"),
            "viewer", Set.of("databases:read", "profiles:read", "segments:read", "messages:read", "snippets:read", "campaigns:read",
                    "journeys:read", "sites:read", "forms:read", "promo:read", "market:read", "reports:read"));

    @TempDir
    Path dir;

    static Stream<Arguments> everyRoleAndPermission() {
        List<Arguments> all = new ArrayList<>();
        for (Role role : BuiltInRoles.all()) {
            for (Permission p : Permission.all()) {
                all.add(Arguments.of(role.id(), p.id()));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyRoleAndPermission")
    void aRoleHoldsWhatTheTableSaysAndTheServicesAgree(String roleId, String permissionId) {
        Role role = BuiltInRoles.find(roleId).orElseThrow();
        Permission p = Permission.parse("p", permissionId);
        boolean expected = TABLE.get(roleId).contains(permissionId);
        assertThat(role.allows(p)).as("%s holds %s", roleId, permissionId).isEqualTo(expected);

        try (EmbeddedCore core = new EmbeddedCore(dir)) {
            Runnable call = serviceCall(core, p, () -> new Actor("u1", Actor.Kind.USER, "ws", role.permissions()));
            if (call != null) { // a service outside the core (segments, journeys, API keys) is checked where it lives
                check(call, expected, roleId, permissionId);
            }
        }
    }

    private static void check(Runnable call, boolean expected, String roleId, String permissionId) {
        if (expected) {
            try {
                call.run();
            } catch (ForbiddenException e) {
                throw new AssertionError(roleId + " was refused " + permissionId, e);
            } catch (RuntimeException otherwise) {
                // allowed: the service went on to look at the (missing or invalid) thing
            }
        } else {
            assertThatThrownBy(call::run).as("%s must be refused %s", roleId, permissionId).isInstanceOf(ForbiddenException.class)
                    .extracting(e -> ((ForbiddenException) e).needed().id()).isEqualTo(permissionId);
        }
    }

    /** The core service call that needs {@code p}; null when no core service stands for it. */
    private static Runnable serviceCall(EmbeddedCore core, Permission p, Access access) {
        Clock clock = Clock.systemUTC();
        ClientDatabases databases = new ClientDatabases(core.settings, core.profiles, clock, access);
        Templates templates = new Templates();
        Snippets snippets = new Snippets(core.settings, templates, clock, access);
        Messages messages = new Messages(core.settings, templates, snippets, new ExternalData(core.settings, templates, NetworkGuard.open(), clock),
                new Links("https://t.example.com", new byte[32]), clock, access);
        Campaigns campaigns = new Campaigns(core.settings, databases, (ws, s) -> Optional.empty(), messages, core.jobs, NO_SCHEDULES, clock,
                Set.of("email"), access);
        Roles roles = new Roles(core.settings, access, clock);
        ProviderSettings providers = new ProviderSettings(core.settings, Map.of(), NetworkGuard.open(), access);
        WorkspaceDefaults defaults = new WorkspaceDefaults(core.settings, access);
        MtaNodes.Node node = new MtaNodes.Node("mta-1", "http://127.0.0.1:9", "token");
        MtaNodes nodes = new MtaNodes(List.of(node), access);
        ProfileWriting writing = new ProfileWriting(core.profiles, core.events, clock, access);
        ProfileExport exports = new ProfileExport(core.profiles, access);
        ClientDatabase db = new ClientDatabase("clients", "ws", "Clients", DatabaseSchema.starter(), Instant.now(), Instant.now(), "clients");
        org.orbita.sites.Sites sites = new org.orbita.sites.Sites(core.settings, databases, access, clock);
        org.orbita.forms.Forms forms = new org.orbita.forms.Forms(core.settings, databases, new org.orbita.common.Signer(new byte[32]), access, clock,
                (ws, id) -> false);
        org.orbita.forms.FormResults formResults = new org.orbita.forms.FormResults(forms, core.events, access);
        org.orbita.promo.PromoPools promo = new org.orbita.promo.PromoPools(core.settings,
                new org.orbita.promo.store.SqlitePromoStore(core.sqlite), core.events, (pool, n) -> List.of(), access, clock);
        org.orbita.market.Markets market = new org.orbita.market.Markets(new org.orbita.market.store.SqlMarketStore(
                new org.orbita.storage.sql.SqliteDatabase(core.sqlite)), core.settings, databases, core.profiles, writing, core.events, access, clock);
        return switch (p.id()) {
            case "profiles:export" -> () -> exports.allowDatabase(db, "csv");
            case "segments:export" -> () -> exports.allowSegment("s1", "csv");
            case "audit-log:read" -> () -> new org.orbita.audit.AuditLog(NO_AUDIT, clock, access).find(org.orbita.audit.AuditQuery.workspace("ws"), 1);
            case "databases:read" -> () -> databases.list("ws");
            case "databases:write" -> () -> databases.create("ws", "clients", "Clients", DatabaseSchema.starter());
            case "databases:delete" -> () -> databases.delete("missing");
            case "messages:read" -> () -> messages.list("ws");
            case "messages:write" -> () -> messages.update("ws", "missing", null);
            case "messages:delete" -> () -> messages.delete("ws", "missing");
            case "snippets:read" -> () -> snippets.list("ws");
            case "snippets:write" -> () -> snippets.save("ws", "footer", "Bye");
            case "snippets:delete" -> () -> snippets.delete("ws", "missing");
            case "campaigns:read" -> () -> campaigns.list("ws");
            case "campaigns:write" -> () -> campaigns.update("ws", "missing", null);
            case "campaigns:delete" -> () -> campaigns.delete("ws", "missing");
            case "campaigns:launch" -> () -> campaigns.launch("ws", "missing");
            case "campaigns:approve" -> () -> campaigns.approve("ws", "missing", "u1");
            case "sites:read" -> () -> sites.list("ws");
            case "sites:write" -> () -> sites.create("ws", new org.orbita.sites.Sites.SiteInput("Shop", List.of("shop.example"), "missing", null, null,
                    null, null, null));
            case "sites:delete" -> () -> sites.delete("ws", "missing");
            case "forms:read" -> () -> forms.list("ws");
            case "forms:write" -> () -> forms.create("ws", new org.orbita.forms.Forms.FormInput("Survey", "missing", null, null, null, null, null, null,
                    null));
            case "forms:delete" -> () -> forms.delete("ws", "missing");
            case "forms:export" -> () -> formResults.allowExport("ws", "missing", "csv");
            case "promo:read" -> () -> promo.list("ws");
            case "promo:write" -> () -> promo.create("ws", new org.orbita.promo.PromoPools.PoolInput("summer", null, null, null, null, null, null,
                    null, null, null, null, null));
            case "promo:delete" -> () -> promo.delete("ws", "missing");
            case "promo:export" -> () -> promo.allowExport("ws", "missing", null, "csv");
            case "market:read" -> () -> market.touchpoints("ws");
            case "market:write" -> () -> market.saveTouchpoint("ws", new org.orbita.market.Market.Touchpoint("web", "Web", "missing"));
            case "market:delete" -> () -> market.deleteTouchpoint("ws", "missing");
            case "settings:read" -> providers::list;
            case "settings:write" -> () -> defaults.save("ws", "UTC", null, null, null, Instant.now());
            case "mail-queues:read" -> () -> nodes.queues(node);
            case "mail-queues:write" -> () -> nodes.suppress(node, "a@shop.example");
            case "profiles:write" -> () -> writing.write(null, null, null, null);
            case "users:read" -> () -> roles.list("ws");
            case "users:write" -> () -> roles.create("ws", "Editors", List.of("messages:read"));
            case "users:delete" -> () -> roles.delete("ws", "missing", r -> false);
            case "reports:read" -> () -> reports(core, access).run("ws", org.orbita.reports.ReportKind.CHANNELS,
                    org.orbita.reports.ReportQuery.of(org.orbita.reports.ReportKind.CHANNELS, Instant.now(), null, null, null, null, null, null, null,
                            List.of(), false));
            case "reports:export" -> () -> reports(core, access).allowExport(new org.orbita.reports.Report(org.orbita.reports.ReportKind.CHANNELS,
                    org.orbita.reports.ReportQuery.of(org.orbita.reports.ReportKind.CHANNELS, Instant.now(), null, null, null, null, null, null, null,
                            List.of(), false), List.of(), List.of(), List.of(), Map.of(), null, false, Instant.now()), "csv");
            default -> null;
        };
    }

    private static org.orbita.reports.Reports reports(EmbeddedCore core, Access access) {
        return new org.orbita.reports.Reports(core.events, new ClientDatabases(core.settings, core.profiles, Clock.systemUTC(), access), access,
                Clock.systemUTC(), ws -> java.time.ZoneOffset.UTC, (d, ws, id) -> Optional.empty());
    }

    /** An audit store that holds nothing: the permission is what is checked here. */
    private static final org.orbita.audit.AuditStore NO_AUDIT = new org.orbita.audit.AuditStore() {
        @Override
        public org.orbita.audit.AuditEntry append(java.util.function.Function<Optional<org.orbita.audit.AuditEntry>, org.orbita.audit.AuditEntry> next) {
            return next.apply(Optional.empty());
        }

        @Override
        public List<org.orbita.audit.AuditEntry> find(org.orbita.audit.AuditQuery query, int limit) {
            return List.of();
        }

        @Override
        public List<org.orbita.audit.AuditEntry> after(long afterSeq, int limit) {
            return List.of();
        }

        @Override
        public long prune(Instant before) {
            return 0;
        }
    };

    private static final Schedules NO_SCHEDULES = new Schedules() {
        @Override
        public boolean valid(String cron) {
            return false;
        }

        @Override
        public Optional<Instant> next(String cron, Instant after) {
            return Optional.empty();
        }
    };

    @org.junit.jupiter.api.Test
    void aRoleIsNeverMadeToHoldMoreThanItsMaker() {
        EmbeddedCore core = new EmbeddedCore(dir);
        Set<String> marketer = BuiltInRoles.find("marketer").orElseThrow().permissions();
        // a marketer cannot manage users at all; an administrator-made role cannot hold what the maker lacks
        Set<String> limited = new TreeSet<>(Arrays.asList("users:read", "users:write", "messages:read"));
        Roles roles = new Roles(core.settings, () -> new Actor("a", Actor.Kind.USER, "ws", limited), Clock.systemUTC());
        assertThat(roles.create("ws", "Readers", List.of("messages:read")).permissions()).containsExactly("messages:read");
        assertThatThrownBy(() -> roles.create("ws", "Launchers", List.of("campaigns:launch")))
                .hasMessageContaining("is more than your own role allows");
        assertThatThrownBy(() -> new Roles(core.settings, () -> new Actor("m", Actor.Kind.USER, "ws", marketer), Clock.systemUTC())
                .create("ws", "Mine", List.of("messages:read"))).isInstanceOf(ForbiddenException.class);
        // a permission that means nothing is refused by name
        assertThatThrownBy(() -> roles.create("ws", "Odd", List.of("reports:launch"))).hasMessageContaining("means nothing");
        // built-in roles do not change
        assertThatThrownBy(() -> roles.update("ws", "owner", "Mine", List.of())).hasMessageContaining("built in");
        core.close();
    }
}
