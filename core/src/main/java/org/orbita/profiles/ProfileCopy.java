package org.orbita.profiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/**
 * Copies the profiles of one database into another as a job: fields by a mapping (source
 * field → target field; by default every field both schemas share), subscriptions and
 * status carried over (relations are not: they point into the source database), each profile written whole through {@link ProfileWriting} with the
 * target's matching key and mode. The job's checkpoint is the number of source profiles
 * done (error rows are numbered the same way), and the last source id is kept in its result,
 * so an interrupted copy resumes.
 */
public final class ProfileCopy {

    /** Its jobs' kind. */
    public static final String KIND = "copy";

    private static final int PAGE = 1000;

    private final ClientDatabases databases;
    private final ProfileStore store;
    private final ProfileWriting writing;
    private final EventLog events;
    private final Jobs jobs;
    private final JobReports reports;

    public ProfileCopy(ClientDatabases databases, ProfileStore store, ProfileWriting writing, EventLog events, Jobs jobs,
            JobReports reports) {
        this.databases = databases;
        this.store = store;
        this.writing = writing;
        this.events = events;
        this.jobs = jobs;
        this.reports = reports;
    }

    /** What to copy where. */
    public record Spec(String source, String target, Map<String, String> mapping, String matching, String mode) {
        public Spec {
            mapping = mapping == null ? Map.of() : mapping;
            mode = mode == null ? "upsert" : mode;
        }
    }

    public Job submit(String workspaceId, Spec spec) {
        ClientDatabase source = databases.get(spec.source());
        ClientDatabase target = databases.get(spec.target());
        if (!source.workspaceId().equals(workspaceId) || !target.workspaceId().equals(workspaceId)) {
            throw new NotFoundException("database", source.workspaceId().equals(workspaceId) ? spec.target() : spec.source());
        }
        List<FieldError> errors = new ArrayList<>();
        if (source.id().equals(target.id())) {
            errors.add(FieldError.of("target", spec.target(), "must differ from the source database"));
        }
        try {
            WriteMode.fromId(spec.mode());
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of("mode", spec.mode(), e.getMessage()));
        }
        effectiveMapping(source, target, spec.mapping(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return jobs.create(workspaceId, KIND, Json.MAPPER.convertValue(spec, Map.class));
    }

    private static Map<String, String> effectiveMapping(ClientDatabase source, ClientDatabase target, Map<String, String> mapping,
            List<FieldError> errors) {
        if (mapping.isEmpty()) {
            Map<String, String> same = new LinkedHashMap<>();
            source.schema().fields().stream().filter(f -> target.schema().field(f.name()).isPresent())
                    .forEach(f -> same.put(f.name(), f.name()));
            if (same.isEmpty()) {
                errors.add(FieldError.of("mapping", null, "the databases share no field; give a mapping"));
            }
            return same;
        }
        mapping.forEach((from, to) -> {
            if (source.schema().field(from).isEmpty()) {
                errors.add(FieldError.of("mapping." + from, from, "is not a field of database '" + source.id() + "'"));
            }
            if (target.schema().field(to).isEmpty()) {
                errors.add(FieldError.of("mapping." + from, to, "is not a field of database '" + target.id() + "'"));
            }
        });
        return mapping;
    }

    /** Runs or resumes a copy job. */
    public Job run(String jobId) {
        Job job = jobs.save(jobs.get(jobId).running(jobs.clock().instant()));
        Spec spec = Json.MAPPER.convertValue(job.params(), Spec.class);
        ClientDatabase source;
        ClientDatabase target;
        try {
            source = databases.get(spec.source());
            target = databases.get(spec.target());
        } catch (NotFoundException e) {
            return jobs.save(job.failedWith(e.getMessage(), jobs.clock().instant()));
        }
        Map<String, String> mapping = effectiveMapping(source, target, spec.mapping(), new ArrayList<>());
        WriteMode mode = WriteMode.fromId(spec.mode());
        String cursor = (String) job.result().get("cursor");
        long[] counts = {toLong(job.result().get("created")), toLong(job.result().get("updated"))};
        while (true) {
            if (jobs.cancelRequested(job.id())) {
                return jobs.save(job.cancelled(withoutCursor(job), jobs.clock().instant()));
            }
            List<Profile> page = store.page(source.id(), cursor, PAGE);
            if (page.isEmpty()) {
                break;
            }
            List<RowError> errors = new ArrayList<>();
            List<Event> emitted = new ArrayList<>();
            long done = job.processed();
            Job current = job;
            String last = page.get(page.size() - 1).id();
            job = store.inTransaction(() -> {
                long ok = 0;
                long n = done;
                for (Profile p : page) {
                    long row = ++n;
                    try {
                        ProfileWriting.Written w = writing.writeWithoutEvents(target, change(p, mapping, spec.matching()), mode, ProfileSource.COPY);
                        emitted.addAll(w.events());
                        counts[w.result().created() ? 0 : 1]++;
                        ok++;
                    } catch (InvalidInputException e) {
                        e.errors().forEach(fe -> errors.add(new RowError(row, fe.field(), fe.value(),
                                "profile " + p.id() + ": " + fe.rule())));
                    } catch (NotFoundException e) {
                        errors.add(new RowError(row, spec.matching(), null, e.getMessage()));
                    }
                }
                Map<String, Object> progress = new LinkedHashMap<>(current.result());
                progress.put("cursor", last);
                progress.put("created", counts[0]);
                progress.put("updated", counts[1]);
                return jobs.save(current.progressed(n, current.succeeded() + ok,
                        current.failed() + errors.stream().mapToLong(RowError::row).distinct().count(), n).withResult(progress));
            });
            events.append(emitted);
            reports.append(job.id(), errors);
            cursor = last;
        }
        return jobs.save(job.succeeded(withoutCursor(job), jobs.clock().instant()));
    }

    private static Map<String, Object> withoutCursor(Job job) {
        Map<String, Object> result = new LinkedHashMap<>(job.result());
        result.remove("cursor");
        return result;
    }

    private static long toLong(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static ProfileChange change(Profile p, Map<String, String> mapping, String matching) {
        Map<String, Object> fields = new LinkedHashMap<>();
        mapping.forEach((from, to) -> {
            Object v = p.field(from);
            if (v != null) {
                fields.put(to, v);
            }
        });
        List<ProfileChange.SubscriptionInput> subscriptions = p.subscriptions().stream()
                .map(s -> new ProfileChange.SubscriptionInput(s.channel().id(), s.address(), s.resource(), s.status().id()))
                .toList();
        return new ProfileChange(matching, null, fields, subscriptions, null, p.status());
    }
}
