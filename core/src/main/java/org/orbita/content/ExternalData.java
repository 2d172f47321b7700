package org.orbita.content;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.outbound.GuardedJdbc;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.imports.SqlImports;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * The workspace's outside data sources and the calls templates make to them: never to
 * loopback or private networks unless allowed ({@link NetworkGuard}), bounded in time and
 * size, cached for the source's TTL, with the source's fallback standing in for a failure.
 *
 * <p>Longer than the ~400 lines we aim for: HTTP and SQL sources share the cache, the time bounds,
 * the fallbacks and the network guard written here once.
 */
public final class ExternalData {

    public static final int MAX_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_TIMEOUT_MS = 2_000;
    public static final int DEFAULT_CACHE_SECONDS = 300;
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final int MAX_ROWS = 500;
    private static final int CACHE_ENTRIES = 10_000;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Documents<DataSource> sources;
    private final Templates templates;
    private final NetworkGuard guard;
    private final GuardedJdbc jdbc;
    private final Clock clock;
    private final HttpClient http;

    private record Cached(Object value, long expiresAtMillis) {}

    private final Map<String, Cached> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_ENTRIES;
        }
    });

    public ExternalData(SettingsStore settings, Templates templates, NetworkGuard guard, Clock clock) {
        this.sources = new Documents<>(settings, "data_sources", DataSource.class, DataSource::key);
        this.templates = templates;
        this.guard = guard;
        this.jdbc = new GuardedJdbc(guard);
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(MAX_TIMEOUT_MS))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Saves a data source. A password or header value given as {@link DataSource#HIDDEN} (or a
     * password left out) keeps the stored one, so a form showing hidden secrets can be saved back.
     */
    public DataSource save(String workspaceId, String name, DataSource draft) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(FieldError.of("name", name, "must be 1-64 characters: a-z or 0-9 first, then a-z 0-9 _ . -"));
        }
        String kind = draft.kind() == null ? null : draft.kind().toLowerCase(Locale.ROOT);
        if ("http".equals(kind)) {
            if (draft.url() == null || !draft.url().matches("(?is)https?://.+")) {
                errors.add(FieldError.of("url", draft.url(), "must be an http:// or https:// URL (Liquid allowed)"));
            } else {
                collect(errors, () -> templates.validate(draft.url(), "url"));
            }
            if (draft.headers() != null) {
                draft.headers().forEach((k, v) -> {
                    if (!HEADER.matcher(k).matches()) {
                        errors.add(FieldError.of("headers", k, "header names are letters, digits and '-'"));
                    } else if (v == null) {
                        errors.add(FieldError.of("headers." + k, null, "is required"));
                    } else if (!DataSource.HIDDEN.equals(v)) {
                        collect(errors, () -> templates.validate(v, "headers." + k));
                    }
                });
            }
        } else if ("sql".equals(kind)) {
            List<FieldError> found = new ArrayList<>();
            SqlImports.checkSource(draft.url() == null ? null : draft.url().strip(), draft.query(), found);
            found.forEach(e -> errors.add("jdbcUrl".equals(e.field()) ? new FieldError("url", e.value(), e.rule()) : e));
        } else {
            errors.add(FieldError.of("kind", draft.kind(), "must be http or sql"));
        }
        int timeout = draft.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : draft.timeoutMs();
        if (timeout < 50 || timeout > MAX_TIMEOUT_MS) {
            errors.add(FieldError.of("timeoutMs", draft.timeoutMs(), "must be between 50 and " + MAX_TIMEOUT_MS));
        }
        int ttl = draft.cacheSeconds() == null ? DEFAULT_CACHE_SECONDS : draft.cacheSeconds();
        if (ttl < 0 || ttl > 86_400) {
            errors.add(FieldError.of("cacheSeconds", draft.cacheSeconds(), "must be between 0 (no cache) and 86400"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Optional<DataSource> old = find(workspaceId, name);
        Map<String, String> headers = null;
        if (draft.headers() != null) {
            headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> h : draft.headers().entrySet()) {
                String value = h.getValue();
                if (DataSource.HIDDEN.equals(value)) {
                    value = old.map(DataSource::headers).map(m -> m.get(h.getKey())).orElse(null);
                    if (value == null) {
                        throw new InvalidInputException("headers." + h.getKey(), DataSource.HIDDEN, "has no stored value to keep; give the value");
                    }
                }
                headers.put(h.getKey(), value);
            }
        }
        String password = draft.password() == null || DataSource.HIDDEN.equals(draft.password())
                ? old.map(DataSource::password).orElse(null) : draft.password();
        DataSource saved = new DataSource(workspaceId, name, kind, draft.url().strip(), headers,
                "sql".equals(kind) ? draft.user() : null, "sql".equals(kind) ? password : null,
                "sql".equals(kind) ? draft.query().strip() : null, timeout, ttl, draft.fallback(), clock.instant());
        sources.put(saved);
        forget(workspaceId, name);
        return saved;
    }

    private static void collect(List<FieldError> errors, Runnable check) {
        try {
            check.run();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
    }

    public Optional<DataSource> find(String workspaceId, String name) {
        return sources.get(workspaceId + ":" + name);
    }

    public DataSource get(String workspaceId, String name) {
        return find(workspaceId, name).orElseThrow(() -> new NotFoundException("data source", name));
    }

    public List<DataSource> list(String workspaceId) {
        return sources.list().stream().filter(s -> s.workspaceId().equals(workspaceId)).toList();
    }

    public boolean delete(String workspaceId, String name) {
        forget(workspaceId, name);
        return sources.delete(workspaceId + ":" + name);
    }

    private void forget(String workspaceId, String name) {
        String prefix = workspaceId + ":" + name + "\n";
        synchronized (cache) {
            cache.keySet().removeIf(k -> k.startsWith(prefix));
        }
    }

    /** The fetcher templates of this workspace use. */
    public Templates.Fetcher fetcher(String workspaceId) {
        return (name, data, warn) -> fetch(workspaceId, name, data, warn);
    }

    /**
     * Reads a source with a render's data: from the cache when fresh, else by a call.
     *
     * @throws IllegalArgumentException naming the source and what went wrong, when the call
     *         failed and the source has no fallback
     */
    public Object fetch(String workspaceId, String name, Map<String, Object> data, Consumer<String> warn) {
        return fetch(workspaceId, name, data, warn, true);
    }

    /** A call made now, past the cache (what a person checking a source's set-up wants); the result is not cached. */
    public Object test(String workspaceId, String name, Map<String, Object> data, Consumer<String> warn) {
        return fetch(workspaceId, name, data, warn, false);
    }

    private Object fetch(String workspaceId, String name, Map<String, Object> data, Consumer<String> warn, boolean cached) {
        DataSource source = find(workspaceId, name)
                .orElseThrow(() -> new IllegalArgumentException("no data source named '" + name + "'"));
        String target;
        List<Object> params = new ArrayList<>();
        String sql = null;
        if ("http".equals(source.kind())) {
            target = templates.render(source.url(), data, Map.of()).output().strip();
        } else {
            sql = bind(source.query(), data, params);
            target = sql + "\n" + Json.write(params);
        }
        String key = source.key() + "\n" + target;
        long now = clock.millis();
        Cached hit = cached ? cache.get(key) : null;
        if (hit != null && hit.expiresAtMillis() > now) {
            return hit.value();
        }
        Object value;
        try {
            value = "http".equals(source.kind()) ? http(source, target, data) : sql(source, sql, params);
        } catch (Failure e) {
            String why = "data source '" + name + "' " + e.getMessage();
            if (source.fallback() != null) {
                warn.accept(why + "; its fallback was used");
                return source.fallback();
            }
            throw new IllegalArgumentException(why);
        }
        if (cached && source.cacheSeconds() != null && source.cacheSeconds() > 0) {
            cache.put(key, new Cached(value, now + source.cacheSeconds() * 1000L));
        }
        return value;
    }

    /** Why a call gave nothing usable. */
    private static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private Object http(DataSource source, String url, Map<String, Object> data) throws Failure {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new Failure("made the URL '" + url + "', which is not a URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            throw new Failure("made the URL '" + url + "', which is not an http(s) URL with a host");
        }
        guard(uri.getHost());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(source.timeoutMs()))
                .header("Accept", "application/json").GET();
        if (source.headers() != null) {
            for (Map.Entry<String, String> h : source.headers().entrySet()) {
                request.header(h.getKey(), templates.render(h.getValue(), data, Map.of()).output().strip());
            }
        }
        long deadline = System.nanoTime() + source.timeoutMs() * 1_000_000L;
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw new Failure("answered HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
                if (bytes.length > MAX_BODY_BYTES) {
                    throw new Failure("answered more than " + MAX_BODY_BYTES + " bytes");
                }
                if (System.nanoTime() > deadline) {
                    throw new Failure("did not answer within " + source.timeoutMs() + " ms");
                }
                try {
                    return Json.MAPPER.readValue(bytes, Object.class);
                } catch (IOException e) {
                    throw new Failure("answered something that is not JSON (" + firstLine(e.getMessage()) + ")");
                }
            }
        } catch (HttpTimeoutException e) {
            throw new Failure("did not answer within " + source.timeoutMs() + " ms");
        } catch (IOException e) {
            throw new Failure("could not be reached (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("was interrupted");
        }
    }

    private Object sql(DataSource source, String sql, List<Object> params) throws Failure {
        Properties props = new Properties();
        if (source.user() != null) {
            props.setProperty("user", source.user());
        }
        if (source.password() != null) {
            props.setProperty("password", source.password());
        }
        int seconds = Math.max(1, (source.timeoutMs() + 999) / 1000);
        if (source.url().startsWith("jdbc:postgresql:")) {
            props.setProperty("connectTimeout", String.valueOf(seconds));
            props.setProperty("socketTimeout", String.valueOf(seconds + 1));
        } else {
            props.setProperty("connectTimeout", String.valueOf(source.timeoutMs()));
            props.setProperty("socketTimeout", String.valueOf(source.timeoutMs() + 1000));
        }
        try (Connection c = jdbc.open(source.url(), props)) {
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setQueryTimeout(seconds);
                ps.setMaxRows(MAX_ROWS);
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int col = 1; col <= meta.getColumnCount(); col++) {
                            row.put(meta.getColumnLabel(col), plain(rs.getObject(col)));
                        }
                        rows.add(row);
                    }
                }
                return rows;
            }
        } catch (SecurityException | IllegalArgumentException e) {
            throw new Failure("may not be called: " + e.getMessage());
        } catch (UnknownHostException e) {
            throw new Failure("names a host that does not resolve: " + e.getMessage());
        } catch (SQLTimeoutException e) {
            throw new Failure("did not answer within " + source.timeoutMs() + " ms");
        } catch (SQLException e) {
            throw new Failure("failed: " + firstLine(e.getMessage()));
        }
    }

    private void guard(String host) throws Failure {
        try {
            guard.check(host);
        } catch (SecurityException e) {
            throw new Failure("may not be called: " + e.getMessage());
        } catch (UnknownHostException e) {
            throw new Failure("names a host that does not resolve: " + host);
        }
    }

    /** JSON-shaped values only (dates and numbers as text and numbers). */
    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v instanceof BigDecimal b ? b.doubleValue() : v;
        }
        return String.valueOf(v);
    }

    private static final Pattern PARAM = Pattern.compile("'(?:[^']|'')*'|\"(?:[^\"])*\"|::|:([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*)");

    /** Turns {@code :profile.email} placeholders (outside quotes) into {@code ?} and collects their values from the data. */
    static String bind(String query, Map<String, Object> data, List<Object> params) {
        Matcher m = PARAM.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(1) == null) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            params.add(lookup(data, m.group(1)));
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object lookup(Map<String, Object> data, String path) {
        Object at = data;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at instanceof Map || at instanceof List ? Json.write(at) : at;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
