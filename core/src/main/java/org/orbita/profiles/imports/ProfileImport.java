package org.orbita.profiles.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.jobs.Job;
import org.orbita.jobs.JobReports;
import org.orbita.jobs.Jobs;
import org.orbita.jobs.RowError;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileWriting;
import org.orbita.tabular.CsvSource;
import org.orbita.tabular.RowSource;
import org.orbita.tabular.XlsSource;
import org.orbita.tabular.XlsxSource;

/**
 * Runs an import job: reads the job's stored input, maps each row to a profile change and
 * writes rows in batches. Each row is applied whole or not at all (a savepoint), and each
 * batch commits together with the job's checkpoint, so after a crash the job resumes at the
 * first row whose batch did not commit. Bad rows go to the job's error report.
 */
public final class ProfileImport {

    /** Its jobs' kind. */
    public static final String KIND = "import";

    /** Rows per committed batch. */
    public static final int BATCH = 5000;

    private final ClientDatabases databases;
    private final ProfileStore store;
    private final ProfileWriting writing;
    private final EventLog events;
    private final Jobs jobs;
    private final JobReports reports;
    private final long maxUnpackedBytes;
    private final SqlImports sqlImports;

    public ProfileImport(ClientDatabases databases, ProfileStore store, ProfileWriting writing, EventLog events, Jobs jobs,
            JobReports reports, long maxUnpackedBytes) {
        this(databases, store, writing, events, jobs, reports, maxUnpackedBytes, null);
    }

    /** With {@code sqlImports}, jobs of format {@code sql} read their rows from external databases. */
    public ProfileImport(ClientDatabases databases, ProfileStore store, ProfileWriting writing, EventLog events, Jobs jobs,
            JobReports reports, long maxUnpackedBytes, SqlImports sqlImports) {
        this.sqlImports = sqlImports;
        this.databases = databases;
        this.store = store;
        this.writing = writing;
        this.events = events;
        this.jobs = jobs;
        this.reports = reports;
        this.maxUnpackedBytes = maxUnpackedBytes;
    }

    /** Creates the job of one run of a scheduled SQL import; the caller runs it. */
    public Job submitSql(SqlImport source) {
        ImportSpec spec = sqlImports.spec(source);
        spec.validate();
        checkMapping(databases.get(spec.databaseId()), spec.mapping());
        Job job = jobs.create(source.workspaceId(), KIND, Json.MAPPER.convertValue(spec, Map.class));
        sqlImports.started(source, job);
        return job;
    }

    /** Stores the input and creates the job; the caller runs it (now or from a queue). */
    public Job submit(String workspaceId, ImportSpec spec, InputStream file) throws IOException {
        spec.validate();
        if (spec.effectiveFormat().equals("sql")) {
            throw new InvalidInputException("format", "sql", "is for scheduled SQL imports; files are csv, txt, xls or xlsx");
        }
        ClientDatabase db = databases.get(spec.databaseId());
        checkMapping(db, spec.mapping());
        Job job = jobs.create(workspaceId, KIND, Json.MAPPER.convertValue(spec, Map.class));
        Files.copy(file, reports.input(job.id()));
        return job;
    }

    private static void checkMapping(ClientDatabase db, Map<String, String> mapping) {
        List<FieldError> errors = new ArrayList<>();
        mapping.forEach((column, target) -> {
            if (target == null || target.isBlank() || target.equals("_skip")) {
                return;
            }
            if (target.startsWith(ImportSpec.SUBSCRIPTION_PREFIX)) {
                try {
                    Channel.fromId(target.substring(ImportSpec.SUBSCRIPTION_PREFIX.length()));
                } catch (IllegalArgumentException e) {
                    errors.add(FieldError.of("mapping." + column, target, e.getMessage()));
                }
            } else if (db.schema().field(target).isEmpty()) {
                errors.add(FieldError.of("mapping." + column, target, "is not a field of database '" + db.id() + "'"));
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /** Runs (or resumes) a job to its end; failures of the whole job are recorded on it. */
    public Job run(String jobId) {
        Job job = jobs.get(jobId);
        ImportSpec spec = Json.MAPPER.convertValue(job.params(), ImportSpec.class);
        job = jobs.save(job.running(jobs.clock().instant()));
        reports.truncateAfter(job.id(), job.checkpoint());
        Run run = new Run(job, spec);
        try {
            ClientDatabase db = databases.get(spec.databaseId());
            run.db = db;
            run.source = source(spec, reports.input(job.id()));
            run.source.read(run::accept);
            if (run.failure == null && !run.cancelled) {
                run.flush();
            }
            run.awaitWrite();
        } catch (IOException | UncheckedIOException | NotFoundException | InvalidInputException e) {
            run.failure = e.getMessage();
        } finally {
            run.stopWriter();
        }
        Job done = jobs.get(jobId);
        if (run.failure != null) {
            return jobs.save(done.failedWith(run.failure, jobs.clock().instant()));
        }
        if (run.cancelled) {
            return jobs.save(done.cancelled(done.result(), jobs.clock().instant()));
        }
        if (run.source instanceof JdbcRowSource sql) {
            sqlImports.completed(spec.sqlImport(), sql.watermark(), sql.watermarkType());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("created", run.created);
        result.put("updated", run.updated);
        result.put("merged", run.merged);
        result.put("columns", run.columns);
        if (!run.ignoredColumns.isEmpty()) {
            result.put("ignoredColumns", run.ignoredColumns);
        }
        return jobs.save(done.succeeded(result, jobs.clock().instant()));
    }

    /** The rows of a file (or of a scheduled SQL import) as this spec reads them; previews use it too. */
    public RowSource source(ImportSpec spec, Path input) {
        return switch (spec.effectiveFormat()) {
            case "xlsx" -> new XlsxSource(input, maxUnpackedBytes);
            case "xls" -> new XlsSource(input, Math.min(maxUnpackedBytes, 64L << 20));
            case "sql" -> {
                if (sqlImports == null || spec.sqlImport() == null) {
                    throw new IllegalStateException("an SQL import job without its schedule");
                }
                yield sqlImports.source(spec.sqlImport());
            }
            default -> CsvSource.of(input, spec.delimiterChar(), spec.charset());
        };
    }

    /** The state of one run of one job. */
    private final class Run {
        private final ImportSpec spec;
        private Job job;
        private ClientDatabase db;
        private List<String> columns;
        private List<String> targets;
        private final List<String> ignoredColumns = new ArrayList<>();
        private final List<PendingRow> batch = new ArrayList<>();
        private final ExecutorService writer =
                Executors.newSingleThreadExecutor(Thread.ofPlatform().name("orbita-import-writer").factory());
        private Future<List<Event>> pendingWrite;
        private String failure;
        private boolean cancelled;
        private RowSource source;
        private long created;
        private long updated;
        private long merged;

        void stopWriter() {
            try {
                awaitWrite();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e.getMessage();
                }
            }
            writer.shutdown();
        }

        Run(Job job, ImportSpec spec) {
            this.job = job;
            this.spec = spec;
            // a resumed job goes on from the totals kept with its last checkpoint
            this.created = total(job, "created");
            this.updated = total(job, "updated");
            this.merged = total(job, "merged");
        }

        private static long total(Job job, String name) {
            return job.result().get(name) instanceof Number n ? n.longValue() : 0;
        }

        boolean accept(long line, List<String> cells, String problem) {
            if (columns == null) {
                if (spec.header()) {
                    columns = cells.stream().map(String::strip).toList();
                    resolveTargets();
                    return failure == null;
                }
                List<String> numbered = new ArrayList<>();
                for (int i = 1; i <= cells.size(); i++) {
                    numbered.add(Integer.toString(i));
                }
                columns = numbered;
                resolveTargets();
                if (failure != null) {
                    return false;
                }
            }
            if (line <= job.checkpoint()) {
                return true;
            }
            batch.add(new PendingRow(line, cells, problem));
            if (batch.size() >= BATCH) {
                flush();
                // asked to stop: the batches handed to the writer are committed, nothing after them is read
                cancelled = jobs.cancelRequested(job.id());
                return !cancelled;
            }
            return true;
        }

        private void resolveTargets() {
            targets = new ArrayList<>();
            for (String column : columns) {
                String target = spec.mapping().isEmpty() ? autoTarget(column) : spec.mapping().get(column);
                if (target == null || target.isBlank() || target.equals("_skip")) {
                    targets.add(null);
                    ignoredColumns.add(column);
                } else {
                    targets.add(target);
                }
            }
            List<String> missing = spec.mapping().keySet().stream().filter(c -> !columns.contains(c)).toList();
            if (!missing.isEmpty()) {
                failure = "mapping names columns the file does not have: " + missing + "; the file's columns are " + columns;
            } else if (targets.stream().allMatch(t -> t == null)) {
                failure = "no column maps to a field of database '" + db.id() + "'; the file's columns are " + columns;
            }
        }

        private String autoTarget(String column) {
            String name = column.toLowerCase(Locale.ROOT).replace(' ', '_');
            if (db.schema().field(name).isPresent()) {
                return name;
            }
            if (name.startsWith(ImportSpec.SUBSCRIPTION_PREFIX)) {
                return name;
            }
            return null;
        }

        /**
         * Validates the buffered rows here, on the reading thread, and hands them to the
         * writing thread; waits first for the previous batch, so one batch is being written
         * while the next is read and checked.
         */
        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<Object> prepared = new ArrayList<>(batch.size());
            for (PendingRow row : batch) {
                prepared.add(prepare(row));
            }
            long rows = batch.size();
            long last = batch.get(batch.size() - 1).line();
            batch.clear();
            awaitWrite();
            pendingWrite = writer.submit(() -> write(prepared, rows, last));
        }

        /** Waits for the batch being written; a failure there ends the run. */
        void awaitWrite() {
            if (pendingWrite == null) {
                return;
            }
            try {
                // The batch committed: its events go to the log here, off the writing thread.
                events.append(pendingWrite.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing an import batch", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pendingWrite = null;
            }
        }

        /** A row as the writer takes it: a validated change, or the errors that keep it out. */
        private Object prepare(PendingRow row) {
            if (row.problem() != null) {
                return List.of(new RowError(row.line(), null, null, row.problem()));
            }
            if (row.cells().size() > columns.size()) {
                return List.of(new RowError(row.line(), null, null,
                        "row has " + row.cells().size() + " values, the header has " + columns.size()));
            }
            try {
                return new ValidRow(row.line(), writing.validate(db, change(row)));
            } catch (InvalidInputException e) {
                return RowError.of(row.line(), e);
            }
        }

        private List<Event> write(List<Object> prepared, long rows, long last) {
            List<RowError> errors = new ArrayList<>();
            List<Event> emitted = new ArrayList<>();
            long[] counts = {0, 0, 0};
            store.inTransaction(() -> {
                for (Object item : prepared) {
                    if (item instanceof ValidRow valid) {
                        applyRow(valid, errors, emitted, counts);
                    } else {
                        @SuppressWarnings("unchecked")
                        List<RowError> rowErrors = (List<RowError>) item;
                        errors.addAll(rowErrors);
                    }
                }
                // the totals so far are kept with the checkpoint, in the same transaction: a resumed job counts the whole file
                Map<String, Object> totals = new LinkedHashMap<>(job.result());
                totals.put("created", created + counts[0]);
                totals.put("updated", updated + counts[1]);
                totals.put("merged", merged + counts[2]);
                job = jobs.save(job.progressed(job.processed() + rows, job.succeeded() + counts[0] + counts[1],
                        job.failed() + rowsWithErrors(errors), last).withResult(totals));
                return null;
            });
            created += counts[0];
            updated += counts[1];
            merged += counts[2];
            reports.append(job.id(), errors);
            return emitted;
        }

        private long rowsWithErrors(List<RowError> errors) {
            return errors.stream().mapToLong(RowError::row).distinct().count();
        }

        private ProfileChange change(PendingRow row) {
            Map<String, Object> fields = new LinkedHashMap<>();
            List<ProfileChange.SubscriptionInput> subscriptions = new ArrayList<>();
            for (int i = 0; i < row.cells().size(); i++) {
                String target = targets.get(i);
                String cell = row.cells().get(i);
                if (target == null || cell.isBlank()) {
                    continue;
                }
                if (target.startsWith(ImportSpec.SUBSCRIPTION_PREFIX)) {
                    subscriptions.add(new ProfileChange.SubscriptionInput(
                            target.substring(ImportSpec.SUBSCRIPTION_PREFIX.length()), cell, null, null));
                } else {
                    fields.put(target, cell);
                }
            }
            return new ProfileChange(spec.matching(), null, fields, subscriptions, null, null);
        }

        private void applyRow(ValidRow row, List<RowError> errors, List<Event> emitted, long[] counts) {
            try {
                // One row is one savepoint inside the batch: writeValidated makes it.
                ProfileWriting.Written written = writing.writeValidated(db, row.change(), spec.writeMode(), spec.effectiveFormat().equals("sql") ? ProfileSource.SQL : ProfileSource.IMPORT);
                counts[written.result().created() ? 0 : 1]++;
                counts[2] += written.result().mergedIds().size();
                emitted.addAll(written.events());
            } catch (InvalidInputException e) {
                errors.addAll(RowError.of(row.line(), e));
            } catch (NotFoundException e) {
                errors.add(new RowError(row.line(), spec.matching(), null, e.getMessage()));
            }
        }
    }

    private record ValidRow(long line, ProfileWriting.Validated change) {}

    private record PendingRow(long line, List<String> cells, String problem) {}
}
