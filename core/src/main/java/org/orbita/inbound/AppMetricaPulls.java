package org.orbita.inbound;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.EventInput;
import org.orbita.settings.WorkspaceDocuments;
import org.orbita.settings.SettingsStore;

/**
 * Events and installations of a mobile app pulled from AppMetrica's Logs API on a schedule:
 * {@code GET /logs/v1/export/events.json} (and {@code installations.json}) with
 * {@code application_id}, {@code date_since}, {@code date_until}, {@code fields} and
 * {@code Authorization: OAuth <token>}. AppMetrica answers 202 while it prepares an export — the
 * pull waits and asks again at the next run, the period unchanged — and 200 with
 * {@code {"data": [rows]}}, read as a stream (memory stays flat however long the export). Rows
 * whose {@code event_name} matches the pull's names (wildcards {@code *}) become events
 * {@code app.<event_name>} ({@code app.installed} for installations) on the profile found by the
 * pull's matching field — its value from the row's {@code profile_id} (what the app set with
 * {@code setUserProfileID}) or {@code appmetrica_device_id} —, with properties read from
 * {@code event_json} by paths; each event's id is made from the row, so a period pulled twice
 * stores nothing twice. The watermark moves to the period's end once it is read whole.
 */
public final class AppMetricaPulls {

    /** A pull as kept: the token is a secret, never shown. */
    public record Pull(String workspaceId, String id, String name, String applicationId, String token, String apiUrl, String database,
                       String matching, String matchingColumn, List<String> eventNames, boolean installations, Map<String, String> properties,
                       int everyMinutes, Instant watermark, Run lastRun, Instant created, Instant updated) {
        public Pull {
            eventNames = eventNames == null ? List.of() : List.copyOf(eventNames);
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }
    }

    /** One run: when, the period asked, rows read, events stored, rows skipped (no such profile, a name not wanted), and why it stopped. */
    public record Run(Instant at, Instant since, Instant until, String state, long rows, long stored, long skipped, String error) {}

    public record Input(String id, String name, String applicationId, String token, String apiUrl, String database, String matching,
                        String matchingColumn, List<String> eventNames, Boolean installations, Map<String, String> properties, Integer everyMinutes) {}

    public record View(String id, String name, String applicationId, boolean tokenSet, String apiUrl, String database, String matching,
                       String matchingColumn, List<String> eventNames, boolean installations, Map<String, String> properties, int everyMinutes,
                       Instant watermark, Run lastRun) {}

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final Pattern NAME = Pattern.compile("[^\\s]{1,100}");
    private static final int BATCH = 1_000;
    private static final String EVENT_FIELDS = "event_name,event_json,event_datetime,appmetrica_device_id,profile_id,os_name,app_version_name";
    private static final String INSTALL_FIELDS = "install_datetime,appmetrica_device_id,profile_id,tracker_name,os_name,app_version_name";

    private final WorkspaceDocuments<Pull> pulls;
    private final ClientDatabases databases;
    private final EventIngest ingest;
    private final NetworkGuard guard;
    private final Access access;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public AppMetricaPulls(SettingsStore settings, ClientDatabases databases, EventIngest ingest, NetworkGuard guard, Access access, Clock clock) {
        this.pulls = new WorkspaceDocuments<>(settings, "appmetrica-pulls", Pull.class, Pull::workspaceId, Pull::id, "AppMetrica pull");
        this.databases = databases;
        this.ingest = ingest;
        this.guard = guard;
        this.access = access;
        this.clock = clock;
    }

    public List<View> list(String workspaceId) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return pulls.list(workspaceId).stream().map(this::view).toList();
    }

    public View get(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return view(pull(workspaceId, id));
    }

    private Pull pull(String workspaceId, String id) {
        return pulls.get(workspaceId, id);
    }

    public View create(String workspaceId, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        String id = pulls.newId(workspaceId, in.id());
        Instant now = clock.instant();
        Pull p = checked(workspaceId, new Pull(workspaceId, id, null, null, null, "https://api.appmetrica.yandex.ru", null, null, "profile_id",
                List.of("*"), false, Map.of(), 60, null, null, now, now), in);
        pulls.put(p);
        return access.recorded(Resource.INTEGRATIONS, Action.WRITE, null, view(p));
    }

    public View update(String workspaceId, String id, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        Pull before = pull(workspaceId, id);
        Pull p = checked(workspaceId, before, in);
        pulls.put(p);
        return access.recorded(Resource.INTEGRATIONS, Action.WRITE, view(before), view(p));
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.DELETE);
        Pull p = pull(workspaceId, id);
        pulls.delete(workspaceId, id);
        access.changed(Resource.INTEGRATIONS, Action.DELETE, id, view(p), null);
    }

    private Pull checked(String workspaceId, Pull p, Input in) {
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() != null ? in.name().strip() : p.name();
        if (name == null || name.isEmpty() || name.length() > 200) {
            errors.add(FieldError.of("name", name, "1 to 200 characters"));
        }
        String app = in.applicationId() != null ? in.applicationId().strip() : p.applicationId();
        if (app == null || !app.matches("[0-9]{1,12}")) {
            errors.add(FieldError.of("applicationId", app, "the application's numeric id in AppMetrica"));
        }
        String token = in.token() != null ? in.token().strip() : p.token();
        if (token == null || token.isEmpty() || token.length() > 500) {
            errors.add(FieldError.of("token", "(secret)", "an OAuth token with access to the application's Logs API"));
        }
        String apiUrl = in.apiUrl() != null ? in.apiUrl().strip() : p.apiUrl();
        if (apiUrl == null || !apiUrl.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
            errors.add(FieldError.of("apiUrl", apiUrl, "an http or https URL"));
        } else {
            try {
                guard.check(URI.create(apiUrl).getHost());
            } catch (SecurityException | java.net.UnknownHostException e) {
                errors.add(FieldError.of("apiUrl", apiUrl, e.getMessage()));
            }
        }
        String dbKey = p.database();
        ClientDatabase db = null;
        if (in.database() != null) {
            Optional<ClientDatabase> found = databases.resolve(workspaceId, in.database());
            if (found.isEmpty()) {
                errors.add(FieldError.of("database", in.database(), "a database of this workspace"));
            } else {
                db = found.get();
                dbKey = db.id();
            }
        } else if (dbKey != null) {
            db = databases.find(dbKey).orElse(null);
        } else {
            errors.add(FieldError.of("database", null, "the database the events go to is required"));
        }
        String matching = in.matching() != null ? in.matching().strip() : p.matching();
        final String m = matching;
        if (db != null && (m == null || !(m.equals("id") || db.schema().uniqueFields().stream().anyMatch(f -> f.name().equals(m))))) {
            errors.add(FieldError.of("matching", matching, "a unique field of the database, or id"));
        }
        String column = in.matchingColumn() != null ? in.matchingColumn().strip() : p.matchingColumn();
        if (!List.of("profile_id", "appmetrica_device_id").contains(column)) {
            errors.add(FieldError.of("matchingColumn", column, "profile_id (the app's setUserProfileID) or appmetrica_device_id"));
        }
        List<String> names = in.eventNames() != null ? in.eventNames().stream().map(n -> n == null ? "" : n.strip()).toList() : p.eventNames();
        if (names.size() > 100) {
            errors.add(FieldError.of("eventNames", names.size(), "at most 100 names"));
        }
        for (String n : names) {
            if (!NAME.matcher(n).matches()) {
                errors.add(FieldError.of("eventNames", n, "an event name, * for any characters; no spaces"));
            }
        }
        Map<String, String> properties = in.properties() != null ? in.properties() : p.properties();
        properties.forEach((prop, path) -> {
            if (!prop.matches("[A-Za-z0-9_]{1,64}") || !JsonPaths.valid(path)) {
                errors.add(FieldError.of("properties." + prop, path, "a property name (letters, digits, _) and a path into event_json"));
            }
        });
        int every = in.everyMinutes() != null ? in.everyMinutes() : p.everyMinutes();
        if (every < 5 || every > 1440) {
            errors.add(FieldError.of("everyMinutes", every, "5 to 1,440 minutes"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Pull(workspaceId, p.id(), name, app, token, apiUrl, dbKey, matching, column, names,
                in.installations() != null ? in.installations() : p.installations(), properties, every, p.watermark(), p.lastRun(), p.created(),
                clock.instant());
    }

    private View view(Pull p) {
        return new View(p.id(), p.name(), p.applicationId(), p.token() != null, p.apiUrl(), databases.find(p.database()).map(ClientDatabase::publicId)
                .orElse(p.database()), p.matching(), p.matchingColumn(), p.eventNames(), p.installations(), p.properties(), p.everyMinutes(),
                p.watermark(), p.lastRun());
    }

    // ---- pulling

    /** Runs the pulls whose time has come; how many ran. */
    public int pullDue() {
        Instant now = clock.instant();
        int ran = 0;
        for (Pull p : pulls.all()) {
            boolean waiting = p.lastRun() != null && p.lastRun().state().equals("preparing");
            if (p.lastRun() == null || waiting || !p.lastRun().at().plus(Duration.ofMinutes(p.everyMinutes())).isAfter(now)) {
                run(p);
                ran++;
            }
        }
        return ran;
    }

    /** Runs one pull now (from the API: {@code POST …/pull}). */
    public Run pullNow(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        return run(pull(workspaceId, id));
    }

    private Run run(Pull p) {
        Instant now = clock.instant();
        // a period still being prepared is asked again as it was (AppMetrica prepares that export); otherwise from the
        // watermark (the first time: a day back) up to a minute ago — late rows land in the next period
        boolean preparing = p.lastRun() != null && p.lastRun().state().equals("preparing");
        Instant since = preparing ? p.lastRun().since()
                : p.watermark() != null ? p.watermark() : now.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant until = preparing ? p.lastRun().until() : now.minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        Run r;
        if (!until.isAfter(since)) {
            r = new Run(now, since, until, "nothing new", 0, 0, 0, null);
        } else {
            r = read(p, since, until);
        }
        Run result = r;
        pulls.update(p.workspaceId(), p.id(), stored -> stored == null ? null : new Pull(stored.workspaceId(), stored.id(), stored.name(),
                stored.applicationId(), stored.token(), stored.apiUrl(), stored.database(), stored.matching(), stored.matchingColumn(),
                stored.eventNames(), stored.installations(), stored.properties(), stored.everyMinutes(),
                result.state().equals("done") ? result.until() : stored.watermark(), result, stored.created(), stored.updated()));
        return r;
    }

    /** One period: events (and installations), each export read whole or not at all for the watermark. */
    private Run read(Pull p, Instant since, Instant until) {
        Instant at = clock.instant();
        batch.get().clear(); // nothing left over from a run that stopped half way
        ClientDatabase db = databases.find(p.database()).orElse(null);
        if (db == null) {
            return new Run(at, since, until, "failed", 0, 0, 0, "the pull's database no longer exists");
        }
        long[] counts = new long[3];
        List<String> kinds = p.installations() ? List.of("events", "installations") : List.of("events");
        for (String kind : kinds) {
            String fields = kind.equals("events") ? EVENT_FIELDS : INSTALL_FIELDS;
            String url = p.apiUrl().replaceAll("/+$", "") + "/logs/v1/export/" + kind + ".json?application_id=" + p.applicationId()
                    + "&date_since=" + enc(TIME.format(LocalDateTime.ofInstant(since, ZoneOffset.UTC)))
                    + "&date_until=" + enc(TIME.format(LocalDateTime.ofInstant(until, ZoneOffset.UTC))) + "&fields=" + fields;
            try {
                guard.check(URI.create(url).getHost());
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                        .header("Authorization", "OAuth " + p.token()).header("Accept", "application/json").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    int status = response.statusCode();
                    if (status == 202) {
                        return new Run(at, since, until, "preparing", counts[0], counts[1], counts[2], "AppMetrica is preparing the " + kind
                                + " export; asked again at the next run");
                    }
                    if (status != 200) {
                        String text = new String(body.readNBytes(500), StandardCharsets.UTF_8).strip();
                        return new Run(at, since, until, status == 429 ? "throttled" : "failed", counts[0], counts[1], counts[2],
                                "HTTP " + status + (text.isEmpty() ? "" : ": " + text));
                    }
                    rows(body, row -> collect(p, db, kind, row, counts));
                }
            } catch (IOException e) {
                return new Run(at, since, until, "failed", counts[0], counts[1], counts[2], "connection: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Run(at, since, until, "failed", counts[0], counts[1], counts[2], "interrupted");
            } catch (SecurityException | IllegalArgumentException e) {
                return new Run(at, since, until, "failed", counts[0], counts[1], counts[2], "apiUrl: " + e.getMessage());
            }
            flush(db, counts);
        }
        return new Run(at, since, until, "done", counts[0], counts[1], counts[2], null);
    }

    private final ThreadLocal<List<EventInput>> batch = ThreadLocal.withInitial(ArrayList::new);

    /** A row made into an event (or skipped), stored in batches. */
    private void collect(Pull p, ClientDatabase db, String kind, Map<String, Object> row, long[] counts) {
        counts[0]++;
        String name = kind.equals("events") ? text(row.get("event_name")) : null;
        if (kind.equals("events") && (name == null || !wanted(p.eventNames(), name))) {
            counts[2]++;
            return;
        }
        String who = text(row.get(p.matchingColumn()));
        String when = text(row.get(kind.equals("events") ? "event_datetime" : "install_datetime"));
        if (who == null || who.isBlank() || when == null) {
            counts[2]++;
            return;
        }
        Instant time;
        try {
            time = LocalDateTime.parse(when, TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            counts[2]++;
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        Object eventJson = null;
        if (row.get("event_json") instanceof String s && !s.isBlank()) {
            try {
                eventJson = Json.read(s, Object.class);
            } catch (RuntimeException e) {
                eventJson = null; // an app's malformed parameters: the event is kept without them
            }
        }
        for (Map.Entry<String, String> e : p.properties().entrySet()) {
            Object v = eventJson == null ? null : JsonPaths.read(eventJson, e.getValue());
            if (v != null) {
                props.put(e.getKey(), v);
            }
        }
        for (String column : List.of("os_name", "app_version_name", "tracker_name")) {
            if (row.get(column) != null && !text(row.get(column)).isBlank()) {
                props.put(column, row.get(column));
            }
        }
        props.put("source", "appmetrica");
        String type = kind.equals("events") ? "app." + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.:-]", "_") : "app.installed";
        if (type.length() > 64) {
            type = type.substring(0, 64);
        }
        String id = "am-" + UUID.nameUUIDFromBytes((p.applicationId() + "|" + kind + "|" + text(row.get("appmetrica_device_id")) + "|" + when + "|" + name
                + "|" + row.get("event_json")).getBytes(StandardCharsets.UTF_8));
        List<EventInput> b = batch.get();
        b.add(new EventInput(id, db.id(), p.matching(), who, type, null, time, props));
        if (b.size() >= BATCH) {
            flush(db, counts);
        }
    }

    private void flush(ClientDatabase db, long[] counts) {
        List<EventInput> b = batch.get();
        if (b.isEmpty()) {
            return;
        }
        EventIngest.Outcome o = ingest.ingest(List.copyOf(b), k -> Optional.of(db));
        counts[1] += o.accepted();
        counts[2] += o.rejected().size();
        b.clear();
    }

    /** Whether a name matches one of the patterns ({@code *}: any characters). */
    static boolean wanted(List<String> patterns, String name) {
        for (String p : patterns) {
            String regex = String.join(".*", java.util.Arrays.stream(p.split("\\*", -1)).map(Pattern::quote).toList());
            if (name.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    /** The rows of {@code {"data": [ {…}, … ]}}, one by one. */
    private static void rows(InputStream body, java.util.function.Consumer<Map<String, Object>> each) throws IOException {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the export is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("data") && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> row = Json.MAPPER.readValue(parser, Map.class);
                        each.accept(row);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    private static String text(Object v) {
        return v == null ? null : String.valueOf(v);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
