package org.orbita.profiles.imports;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;
import org.orbita.outbound.GuardedJdbc;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.jobs.Job;
import org.orbita.profiles.ClientDatabases;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.orbita.tabular.RowSource;

/** Scheduled imports from external SQL databases: their definitions, runs and watermarks. */
public final class SqlImports {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern READ_ONLY = Pattern.compile("(?is)\\s*(select|with)\\b.*");

    private final Documents<SqlImport> imports;
    private final ClientDatabases databases;
    private final Predicate<String> validCron;
    private final GuardedJdbc jdbc;
    private final Clock clock;

    /**
     * @param validCron says whether a cron expression is valid (the scheduler's dialect)
     * @param jdbc how connections to the sources are opened (private networks refused unless allowed)
     */
    public SqlImports(SettingsStore settings, ClientDatabases databases, Predicate<String> validCron, GuardedJdbc jdbc, Clock clock) {
        this.imports = new Documents<>(settings, "sql_imports", SqlImport.class, SqlImport::id);
        this.databases = databases;
        this.validCron = validCron;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public SqlImport create(String workspaceId, SqlImport draft) {
        databases.resolve(workspaceId, draft.databaseId())
                .orElseThrow(() -> new NotFoundException("database", draft.databaseId()));
        List<FieldError> errors = new ArrayList<>();
        checkSource(draft.jdbcUrl(), draft.query(), errors);
        if (errors.isEmpty()) {
            jdbc.refusal("jdbcUrl", draft.jdbcUrl()).ifPresent(errors::add);
        }
        if (draft.watermarkColumn() != null && !draft.watermarkColumn().isBlank()
                && !IDENTIFIER.matcher(draft.watermarkColumn()).matches()) {
            errors.add(FieldError.of("watermarkColumn", draft.watermarkColumn(), "must be a plain column name"));
        }
        if (draft.cron() != null && !draft.cron().isBlank() && !validCron.test(draft.cron())) {
            errors.add(FieldError.of("cron", draft.cron(), "is not a cron expression (six fields: second minute hour day month weekday)"));
        }
        if (draft.name() == null || draft.name().isBlank()) {
            errors.add(FieldError.of("name", null, "is required"));
        }
        try {
            new ImportSpec(draft.databaseId(), null, "sql", null, null, true, draft.mapping(), draft.matching(),
                    draft.mode() == null ? null : draft.mode().toLowerCase(Locale.ROOT), "x").validate();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return imports.put(new SqlImport(Ids.next(), workspaceId, draft.databaseId(), draft.name().strip(), draft.jdbcUrl(),
                draft.user(), draft.password(), draft.query().strip(), blankToNull(draft.watermarkColumn()), null, null,
                blankToNull(draft.cron()), draft.mapping(), draft.matching(), draft.mode(), true, null, clock.instant()));
    }

    /** The rules for any outside SQL source Orbita reads: a PostgreSQL / MariaDB / MySQL URL and one read-only query. */
    public static void checkSource(String jdbcUrl, String query, List<FieldError> errors) {
        errors.addAll(GuardedJdbc.problems("jdbcUrl", jdbcUrl));
        if (query == null || !READ_ONLY.matcher(query).matches() || query.contains(";")) {
            errors.add(FieldError.of("query", query, "must be one SELECT (or WITH … SELECT) statement, without ';'"));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public Optional<SqlImport> find(String id) {
        return imports.get(id);
    }

    public SqlImport get(String workspaceId, String id) {
        return imports.get(id).filter(s -> s.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("SQL import", id));
    }

    public List<SqlImport> list() {
        return imports.list();
    }

    public List<SqlImport> list(String workspaceId) {
        return imports.list().stream().filter(s -> s.workspaceId().equals(workspaceId)).toList();
    }

    public boolean delete(String workspaceId, String id) {
        get(workspaceId, id);
        return imports.delete(id);
    }

    /** The import spec of one run: the schedule's mapping and mode over its query's rows. */
    public ImportSpec spec(SqlImport s) {
        return new ImportSpec(s.databaseId(), s.name(), "sql", null, null, true, s.mapping(), s.matching(), s.mode(), s.id());
    }

    /** Records the job of a run that has started. */
    public void started(SqlImport s, Job job) {
        imports.put(s.withRun(job.id()));
    }

    /** After a successful run: the next run starts past the greatest watermark read. */
    public void completed(String id, String watermark, String type) {
        imports.get(id).ifPresent(s -> {
            if (watermark != null) {
                imports.put(s.withWatermark(watermark, type));
            }
        });
    }

    public RowSource source(String id) {
        return new JdbcRowSource(imports.get(id).orElseThrow(() -> new NotFoundException("SQL import", id)), jdbc);
    }

    /** The schedule with the password left out, as the API shows it. */
    public static Map<String, Object> view(SqlImport s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", s.id());
        m.put("database", s.databaseId());
        m.put("name", s.name());
        m.put("jdbcUrl", s.jdbcUrl());
        m.put("user", s.user());
        m.put("passwordSet", s.password() != null && !s.password().isEmpty());
        m.put("query", s.query());
        m.put("watermarkColumn", s.watermarkColumn());
        m.put("lastWatermark", s.lastWatermark());
        m.put("cron", s.cron());
        m.put("mapping", s.mapping());
        m.put("matching", s.matching());
        m.put("mode", s.mode());
        m.put("enabled", s.enabled());
        m.put("lastJobId", s.lastJobId());
        return m;
    }
}
