package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orbita.audiences.Condition;
import org.orbita.audiences.Segment;
import org.orbita.audiences.SegmentExplorer;
import org.orbita.audiences.SegmentInput;
import org.orbita.audiences.SegmentJobs;
import org.orbita.audiences.SegmentSync;
import org.orbita.audiences.SegmentSyncs;
import org.orbita.audiences.Segments;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.jobs.Job;
import org.orbita.jobs.JobRunner;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.exports.ProfileExport;
import org.orbita.tabular.TableExport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@Tag(name = "Segments", description = "Audiences: dynamic segments (Drools rules) and static lists, counts, members, explanations")
class SegmentsController {

    private final Segments segments;
    private final SegmentExplorer explorer;
    private final ProfileStore profiles;
    private final ProfileExport export;
    private final SegmentJobs jobs;
    private final JobRunner runner;
    private final ApiContext context;
    private final SegmentSyncs syncs;

    SegmentsController(Segments segments, SegmentExplorer explorer, ProfileStore profiles, ProfileExport export, SegmentJobs jobs, JobRunner runner,
            ApiContext context, SegmentSyncs syncs) {
        this.syncs = syncs;
        this.segments = segments;
        this.explorer = explorer;
        this.profiles = profiles;
        this.export = export;
        this.jobs = jobs;
        this.runner = runner;
        this.context = context;
    }

    /** A segment of the caller's workspace; others are reported as missing. */
    private Segment segment(String id) {
        return segments.find(id).filter(s -> s.workspaceId().equals(context.workspaceId()))
                .orElseThrow(() -> new NotFoundException("segment", id));
    }

    record SegmentView(Segment segment, long count) {}

    @GetMapping("/api/v1/segments")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    @Operation(summary = "List segments (optionally of one database)")
    List<SegmentView> list(@RequestParam(required = false) String database) {
        return segments.list(context.workspaceId()).stream()
                .filter(s -> database == null || s.databaseId().equals(database))
                .map(s -> new SegmentView(s, segments.count(s.id()))).toList();
    }

    @PostMapping("/api/v1/segments")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Create a segment: dynamic with a definition, or static; a dynamic one is computed before this returns")
    SegmentView create(@RequestBody SegmentInput input) {
        Segment s = segments.create(context.workspaceId(), input);
        return new SegmentView(s, segments.count(s.id()));
    }

    @GetMapping("/api/v1/segments/{id}")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    SegmentView get(@PathVariable String id) {
        return new SegmentView(segment(id), segments.count(id));
    }

    @PutMapping("/api/v1/segments/{id}")
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Rename a segment or change its definition (a new version)")
    SegmentView update(@PathVariable String id, @RequestBody SegmentInput input) {
        segment(id);
        Segment s = segments.update(id, input);
        return new SegmentView(s, segments.count(id));
    }

    @DeleteMapping("/api/v1/segments/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    void delete(@PathVariable String id) {
        segment(id);
        segments.delete(id);
    }

    @GetMapping("/api/v1/segments/{id}/versions")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    List<Segment> versions(@PathVariable String id) {
        segment(id);
        return segments.versions(id);
    }

    @GetMapping(value = "/api/v1/segments/{id}/rule", produces = MediaType.TEXT_PLAIN_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    @Operation(summary = "The generated Drools rule (DRL) of a dynamic segment")
    String rule(@PathVariable String id) {
        segment(id);
        return segments.drl(id);
    }

    @GetMapping("/api/v1/segments/{id}/count")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    Map<String, Object> count(@PathVariable String id) {
        segment(id);
        return Map.of("count", segments.count(id));
    }

    record MembersPage(List<Profile> profiles, String next) {}

    @GetMapping("/api/v1/segments/{id}/members")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    @Operation(summary = "Members in id order; pass `next` back as `after` for the following page")
    MembersPage members(@PathVariable String id, @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "100") int limit) {
        Segment s = segment(id);
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", limit, "must be from 1 to 1000");
        }
        List<String> ids = segments.members(id, after, limit);
        List<Profile> page = new ArrayList<>();
        ids.forEach(pid -> profiles.find(s.databaseId(), pid).ifPresent(page::add));
        return new MembersPage(page, ids.size() == limit ? ids.get(ids.size() - 1) : null);
    }

    /** Profiles to add to or remove from a static segment: ids, or values of a matching field. */
    record MembersChange(List<String> profileIds, String matching, List<Object> values) {}

    @PostMapping("/api/v1/segments/{id}/members")
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Add profiles to a static segment (by id, or by a unique field: matching + values)")
    Map<String, Object> add(@PathVariable String id, @RequestBody MembersChange change) {
        return changeStatic(id, change, true);
    }

    @PostMapping("/api/v1/segments/{id}/members/remove")
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Remove profiles from a static segment")
    Map<String, Object> remove(@PathVariable String id, @RequestBody MembersChange change) {
        return changeStatic(id, change, false);
    }

    private Map<String, Object> changeStatic(String id, MembersChange change, boolean add) {
        Segment s = segment(id);
        return Map.of("changed", segments.changeStatic(id, resolve(context.database(s.databaseId()), change), add));
    }

    private List<String> resolve(ClientDatabase db, MembersChange change) {
        if (change.matching() == null) {
            if (change.profileIds() == null || change.profileIds().isEmpty() || change.profileIds().size() > 10_000) {
                throw new InvalidInputException("profileIds", null, "give 1 to 10,000 profile ids, or matching + values");
            }
            return change.profileIds();
        }
        if (db.schema().field(change.matching()).filter(f -> f.unique()).isEmpty()) {
            throw new InvalidInputException("matching", change.matching(), "must be a unique field of the database");
        }
        if (change.values() == null || change.values().isEmpty() || change.values().size() > 10_000) {
            throw new InvalidInputException("values", null, "give 1 to 10,000 values of " + change.matching());
        }
        List<String> ids = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < change.values().size(); i++) {
            Object raw = change.values().get(i);
            try {
                String owner = segments.ownerOf(db, change.matching(), raw).orElse(null);
                if (owner == null) {
                    errors.add(FieldError.of("values[" + i + "]", raw, "no profile has this " + change.matching()));
                } else {
                    ids.add(owner);
                }
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("values[" + i + "]", raw, e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return ids;
    }

    record FreezeRequest(String name) {}

    @PostMapping("/api/v1/segments/{id}/freeze")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Copy a segment's current members into a new static segment")
    SegmentView freeze(@PathVariable String id, @RequestBody(required = false) FreezeRequest request) {
        segment(id);
        Segment s = segments.freeze(id, request == null ? null : request.name());
        return new SegmentView(s, segments.count(s.id()));
    }

    @PostMapping("/api/v1/segments/{id}/recompute")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Recompute a dynamic segment over every profile, as a job")
    Job recompute(@PathVariable String id) {
        Segment s = segment(id);
        Job job = jobs.submit(context.workspaceId(), s.databaseId(), id);
        runner.submit(job);
        return job;
    }

    @PostMapping("/api/v1/segments/{id}/explain/{profileId}")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    @Operation(summary = "Why a profile is (or is not) in a segment: each condition with the value it looked at")
    SegmentExplorer.Explanation explain(@PathVariable String id, @PathVariable String profileId) {
        segment(id);
        return explorer.explain(id, profileId);
    }

    record PreviewRequest(String databaseId, Condition definition, Long limit) {}

    @PostMapping("/api/v1/segments/preview")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    @Operation(summary = "Count the profiles an unsaved definition matches (exact, or estimated from `limit` profiles)")
    SegmentExplorer.Preview preview(@RequestBody PreviewRequest request) {
        long limit = request.limit() == null ? 200_000 : request.limit();
        if (limit < 1 || limit > 10_000_000) {
            throw new InvalidInputException("limit", limit, "must be from 1 to 10,000,000");
        }
        return explorer.preview(context.workspaceId(), request.databaseId(), request.definition(), limit);
    }

    @GetMapping("/api/v1/databases/{db}/profiles/{profileId}/segments")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    @Operation(summary = "The segments a profile belongs to")
    List<Segment> ofProfile(@PathVariable String db, @PathVariable String profileId) {
        ClientDatabase d = context.database(db);
        profiles.find(d.id(), profileId).orElseThrow(() -> new NotFoundException("profile", profileId));
        return segments.segmentsOf(d.id(), profileId);
    }

    @GetMapping("/api/v1/segments/{id}/export")
    @PreAuthorize("hasAuthority('SCOPE_exports:read')")
    @Operation(summary = "Download a segment's members (format=csv or xlsx)")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String id, @RequestParam(defaultValue = "csv") String format) {
        Segment s = segment(id);
        ClientDatabase d = context.database(s.databaseId());
        String f = ProfileExport.checkFormat(format);
        export.allowSegment(s.id(), f);
        MediaType type = MediaType.parseMediaType(TableExport.mediaType(f));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"segment-" + s.id() + "." + f + "\"")
                .contentType(type)
                .body(out -> export.write(d, f, out, action -> segments.forEachMember(id, action)));
    }

    /** Where and how to copy a segment's members: an external table, the fields, full or delta, a cron. */
    record SyncRequest(String jdbcUrl, String user, String password, String table, List<String> fields, String mode, String cron) {}

    @PostMapping("/api/v1/segments/{id}/syncs")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Sync the segment's members into a table of an external SQL database (PostgreSQL, MariaDB, MySQL)")
    Map<String, Object> createSync(@PathVariable String id, @RequestBody SyncRequest r) {
        segment(id);
        SegmentSync s = syncs.create(context.workspaceId(), id, new SegmentSync(null, null, id,
                r.jdbcUrl(), r.user(), r.password(), r.table(), r.fields(), r.mode(), r.cron(), true, null, null));
        return s.view();
    }

    @GetMapping("/api/v1/segments/{id}/syncs")
    @PreAuthorize("hasAuthority('SCOPE_segments:read')")
    List<Map<String, Object>> listSyncs(@PathVariable String id) {
        segment(id);
        return syncs.ofSegment(id).stream().map(SegmentSync::view).toList();
    }

    private SegmentSync sync(String syncId) {
        return syncs.find(syncId).filter(s -> s.workspaceId().equals(context.workspaceId()))
                .orElseThrow(() -> new NotFoundException("segment sync", syncId));
    }

    @PostMapping("/api/v1/segment-syncs/{syncId}/run")
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Run a sync now; returns what it wrote")
    SegmentSyncs.Result runSync(@PathVariable String syncId) {
        return syncs.run(sync(syncId).id());
    }

    @DeleteMapping("/api/v1/segment-syncs/{syncId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    void deleteSync(@PathVariable String syncId) {
        syncs.delete(sync(syncId).id());
    }

    @PostMapping("/api/v1/databases/{db}/segments/recompute")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "Recompute every dynamic segment of a database, as a job")
    Job recomputeAll(@PathVariable String db) {
        ClientDatabase d = context.database(db);
        Job job = jobs.submit(context.workspaceId(), d.id(), null);
        runner.submit(job);
        return job;
    }
}
