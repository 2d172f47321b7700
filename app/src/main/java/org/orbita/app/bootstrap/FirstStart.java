package org.orbita.app.bootstrap;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.orbita.access.BuiltInRoles;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.app.security.Accounts;
import org.orbita.app.security.Scope;
import org.orbita.app.security.UserAccount;
import org.orbita.common.Ids;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.WriteMode;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * On the very first start: an admin user, a demo workspace with an API key holding every
 * scope, and a sample database of generated profiles with some activity. Credentials come
 * from ORBITA_ADMIN_PASSWORD / ORBITA_ADMIN_API_KEY, or are generated and printed once.
 *
 * <p>The set-up checks what it was given before it writes anything, and is recorded as done
 * only at its end: a start that fails or is killed half-way leaves it to the next start,
 * which completes it (a generated password or key that was never shown is made anew).
 */
@Component
class FirstStart implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);
    static final String WORKSPACE = "demo";
    static final String SAMPLE_DATABASE = "clients";
    private static final String ADMIN_KEY_NAME = "admin";

    private final Accounts accounts;
    private final ClientDatabases databases;
    private final ProfileWriting writing;
    private final ProfileStore store;
    private final EventLog events;
    private final OrbitaProperties props;
    private final Documents<Milestone> milestones;
    /** The port the server is told to open (0: one it picks, shown in the log when it opens). */
    private final String uiPort;

    FirstStart(Accounts accounts, ClientDatabases databases, ProfileWriting writing, ProfileStore store, EventLog events,
            OrbitaProperties props, SettingsStore settings, org.springframework.core.env.Environment env) {
        this.uiPort = env.getProperty("server.port", "8080");
        this.accounts = accounts;
        this.databases = databases;
        this.writing = writing;
        this.store = store;
        this.events = events;
        this.props = props;
        this.milestones = new Documents<>(settings, "setup", Milestone.class, Milestone::id);
    }

    /** A step of the installation, recorded when it is done. */
    record Milestone(String id, Instant at) {}

    /** Runs before the web server opens its port, so nobody meets a half-created install. */
    @Override
    public void afterSingletonsInstantiated() {
        if (milestones.get("first-start").isPresent()) {
            return;
        }
        boolean begun = milestones.get("first-start-begun").isPresent();
        if (!begun && accounts.anyUser() && accounts.keys(WORKSPACE).stream().anyMatch(k -> k.name().equals(ADMIN_KEY_NAME))) {
            // set up by a version that did not record it, and complete: nothing to do
            milestones.put(new Milestone("first-start", Instant.now()));
            return;
        }
        String givenPassword = blankToNull(props.admin().password());
        String givenKey = blankToNull(props.admin().apiKey());
        checkGiven(givenPassword, givenKey);
        milestones.put(new Milestone("first-start-begun", Instant.now()));

        if (accounts.workspace(WORKSPACE).isEmpty()) {
            accounts.createWorkspace(WORKSPACE, "Demo workspace");
        }
        String password = givenPassword == null ? randomPassword() : givenPassword;
        Optional<UserAccount> admin = accounts.findUser(props.admin().email());
        if (admin.isEmpty()) {
            // the first user: the workspace's owner, and a super-admin who may make more workspaces
            UserAccount first = accounts.createUser(props.admin().email(), "Administrator", password, Map.of(WORKSPACE, BuiltInRoles.OWNER));
            accounts.saveUser(first.withSuperAdmin(true));
        } else {
            // made by a start that did not finish: its password was never shown
            accounts.setPassword(admin.get(), password, null); // the operator's configured password
        }
        String key = givenKey == null ? Accounts.newSecretKey() : givenKey;
        accounts.keys(WORKSPACE).stream().filter(k -> k.name().equals(ADMIN_KEY_NAME))
                .forEach(k -> accounts.revokeKey(WORKSPACE, k.id()));
        accounts.importKey(key, WORKSPACE, ADMIN_KEY_NAME, Scope.ids());
        if (props.demo().enabled()) {
            Optional<ClientDatabase> sample = databases.find(SAMPLE_DATABASE);
            if (sample.isEmpty() || store.count(SAMPLE_DATABASE) == 0) {
                createSampleDatabase(sample.orElseGet(() -> databases.create(WORKSPACE, SAMPLE_DATABASE, "Clients (sample)", sampleSchema())),
                        props.demo().profiles());
            }
        }
        milestones.put(new Milestone("first-start", Instant.now()));
        StringBuilder banner = new StringBuilder("\n=== Orbita first start ===\n")
                .append("UI:       ").append(uiPort.equals("0") ? "the port Tomcat reports below" : "http://localhost:" + uiPort + "/")
                .append("  (user ").append(props.admin().email()).append(")\n");
        banner.append(givenPassword == null ? "Password: " + password + "  (generated; shown only now)\n"
                : "Password: from ORBITA_ADMIN_PASSWORD\n");
        banner.append(givenKey == null ? "API key:  " + key + "  (generated; shown only now)\n" : "API key:  from ORBITA_ADMIN_API_KEY\n");
        banner.append("==========================\n");
        // Printed to the console once, on purpose, and never written to the log.
        System.out.print(banner);
        log.info("First start: created workspace '{}', user {} and the sample database", WORKSPACE, props.admin().email());
    }

    /** What the operator gave, checked before anything is written; the message names the variable. */
    private void checkGiven(String password, String key) {
        List<String> problems = new ArrayList<>();
        if (password != null && password.length() < 8) {
            problems.add("ORBITA_ADMIN_PASSWORD (orbita.admin.password) must be at least 8 characters");
        }
        if (key != null && !Accounts.isWellFormedKey(key)) {
            problems.add("ORBITA_ADMIN_API_KEY (orbita.admin.api-key) must look like orb_<32 hex>_<43 base64url characters>;"
                    + " leave it unset to have one generated");
        }
        if (!props.admin().email().matches("[^@\\s]+@[^@\\s]+")) {
            problems.add("orbita.admin.email must be an email address");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("First start cannot set up Orbita, nothing was created: " + String.join("; ", problems));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static DatabaseSchema sampleSchema() {
        List<FieldDefinition> fields = new ArrayList<>(DatabaseSchema.starter().fields());
        fields.add(FieldDefinition.of("city", FieldType.STRING));
        fields.add(FieldDefinition.of("birthday", FieldType.DATE));
        fields.add(new FieldDefinition("tier", FieldType.ENUM, "Loyalty tier", false, false, "basic",
                List.of("basic", "silver", "gold")));
        fields.add(FieldDefinition.of("orders", FieldType.INTEGER));
        fields.add(FieldDefinition.of("revenue", FieldType.DECIMAL));
        fields.add(FieldDefinition.of("interests", FieldType.TAGS));
        return new DatabaseSchema(fields);
    }

    private void createSampleDatabase(ClientDatabase db, int count) {
        Random random = new Random(42);
        String[] first = {"Anna", "Ivan", "Maria", "Oleg", "Elena", "Pavel", "Olga", "Sergey", "Daria", "Nikita", "Emma", "Liam"};
        String[] last = {"Ivanova", "Petrov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Novikov", "Brown", "Smith"};
        String[] cities = {"Moscow", "Kazan", "Saint Petersburg", "Novosibirsk", "Yekaterinburg", "London", "Berlin"};
        String[] tiers = {"basic", "basic", "basic", "silver", "silver", "gold"};
        String[] interests = {"sport", "travel", "books", "tech", "food", "fashion"};
        List<Event> activity = new ArrayList<>();
        Instant now = Instant.now();
        store.inTransaction(() -> {
            for (int i = 0; i < count; i++) {
                String name = first[random.nextInt(first.length)];
                String surname = last[random.nextInt(last.length)];
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("email", name.toLowerCase() + "." + surname.toLowerCase() + i + "@example.com");
                f.put("phone", "+7916" + String.format("%07d", 1_000_000 + i));
                f.put("external_id", "CRM-" + (10_000 + i));
                f.put("first_name", name);
                f.put("last_name", surname);
                f.put("city", cities[random.nextInt(cities.length)]);
                f.put("birthday", String.format("%d-%02d-%02d", 1960 + random.nextInt(45), 1 + random.nextInt(12), 1 + random.nextInt(28)));
                f.put("tier", tiers[random.nextInt(tiers.length)]);
                int orders = random.nextInt(12);
                f.put("orders", orders);
                f.put("revenue", String.format(Locale.ROOT, "%.2f", orders * (500 + random.nextInt(5000)) / 1.0));
                f.put("interests", List.of(interests[random.nextInt(interests.length)], interests[random.nextInt(interests.length)]));
                var subs = List.of(new ProfileChange.SubscriptionInput("email", f.get("email"), "newsletter", null),
                        new ProfileChange.SubscriptionInput("sms", f.get("phone"), null, random.nextInt(5) == 0 ? "unsubscribed" : null));
                var written = writing.writeWithoutEvents(db, new ProfileChange("email", null, f, subs, null, null), WriteMode.UPSERT, ProfileSource.SAMPLE);
                activity.addAll(written.events());
                String profileId = written.result().profile().id();
                for (int k = 0; k < orders; k++) {
                    Instant t = now.minus(Duration.ofHours(random.nextInt(24 * 180)));
                    activity.add(new Event(Ids.next(), db.id(), profileId, "purchase", "web", t,
                            Map.of("order_id", "ORD-" + i + "-" + k, "amount", 500 + random.nextInt(5000))));
                    activity.add(new Event(Ids.next(), db.id(), profileId, "email.opened", "email", t.minus(Duration.ofHours(2)),
                            Map.of("campaign", "Spring sale")));
                }
            }
            return null;
        });
        events.append(activity);
    }
}
