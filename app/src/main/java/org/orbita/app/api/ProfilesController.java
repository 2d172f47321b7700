package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileFilter;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.Relation;
import org.orbita.profiles.WriteMode;
import org.orbita.profiles.WriteResult;
import org.orbita.sites.VisitorIdentity;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/databases/{db}/profiles")
@Tag(name = "Profiles", description = "One profile per client: fields, subscriptions, relations, history")
class ProfilesController {

    static final int MAX_BATCH = 10_000;

    private final ProfileStore store;
    private final ProfileWriting writing;
    private final EventLog events;
    private final ApiContext context;
    private final VisitorIdentity visitors;

    ProfilesController(ProfileStore store, ProfileWriting writing, EventLog events, ApiContext context, VisitorIdentity visitors) {
        this.visitors = visitors;
        this.store = store;
        this.writing = writing;
        this.events = events;
        this.context = context;
    }

    /**
     * One profile to write. {@code matching} is a unique field (default: the first unique
     * field) or {@code id}; {@code value} defaults to that field's value in {@code fields}.
     */
    record ProfileRequest(String matching, Object value, String mode, Map<String, Object> fields,
            List<ProfileChange.SubscriptionInput> subscriptions, List<Relation> relations, String status) {

        ProfileChange change(String batchMatching) {
            Profile.Status s = status == null ? null : Profile.Status.fromId(status);
            return new ProfileChange(matching != null ? matching : batchMatching, value, fields, subscriptions, relations, s);
        }
    }

    record WriteView(Profile profile, boolean created, List<String> mergedIds) {
        static WriteView of(WriteResult r) {
            return new WriteView(r.profile(), r.created(), r.mergedIds());
        }
    }

    record BatchRequest(String matching, String mode, List<ProfileRequest> profiles) {}

    record BatchItem(int index, String status, String id, List<FieldError> errors) {}

    record BatchView(int created, int updated, int failed, List<BatchItem> results) {}

    private static WriteMode mode(String mode) {
        try {
            return mode == null ? WriteMode.UPSERT : WriteMode.fromId(mode);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("mode", mode, e.getMessage());
        }
    }

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_profiles:write')")
    @Operation(summary = "Create or update one profile found by its matching key (mode insert, update or upsert)")
    ResponseEntity<WriteView> upsert(@PathVariable String db, @RequestBody ProfileRequest request) {
        ClientDatabase d = context.database(db);
        WriteResult r = writing.write(d, change(request, null), mode(request.mode()), ProfileSource.API);
        return ResponseEntity.status(r.created() ? HttpStatus.CREATED : HttpStatus.OK).body(WriteView.of(r));
    }

    private static ProfileChange change(ProfileRequest request, String batchMatching) {
        try {
            return request.change(batchMatching);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", request.status(), e.getMessage());
        }
    }

    @PostMapping("/batch")
    @PreAuthorize("hasAuthority('SCOPE_profiles:write')")
    @Operation(summary = "Write up to 10,000 profiles; each is applied whole or reported with its errors")
    BatchView batch(@PathVariable String db, @RequestBody BatchRequest request) {
        ClientDatabase d = context.database(db);
        if (request.profiles() == null || request.profiles().isEmpty()) {
            throw new InvalidInputException("profiles", null, "must hold 1 to " + MAX_BATCH + " profiles");
        }
        if (request.profiles().size() > MAX_BATCH) {
            throw new InvalidInputException("profiles", request.profiles().size() + " items", "must hold at most " + MAX_BATCH + " profiles");
        }
        WriteMode mode = mode(request.mode());
        List<BatchItem> results = new ArrayList<>();
        List<Event> emitted = new ArrayList<>();
        int[] counts = {0, 0, 0};
        store.inTransaction(() -> {
            for (int i = 0; i < request.profiles().size(); i++) {
                ProfileRequest item = request.profiles().get(i);
                try {
                    if (item == null) {
                        throw new InvalidInputException("profiles[" + i + "]", null, "must be an object");
                    }
                    ProfileChange change = change(item, request.matching());
                    ProfileWriting.Written w = writing.writeWithoutEvents(d, change, mode, ProfileSource.API);
                    emitted.addAll(w.events());
                    counts[w.result().created() ? 0 : 1]++;
                    results.add(new BatchItem(i, w.result().created() ? "created" : "updated", w.result().profile().id(), List.of()));
                } catch (InvalidInputException e) {
                    counts[2]++;
                    results.add(new BatchItem(i, "error", null, e.errors()));
                } catch (NotFoundException e) {
                    counts[2]++;
                    results.add(new BatchItem(i, "error", null, List.of(FieldError.of("matching", null, e.getMessage()))));
                }
            }
            return null;
        });
        events.append(emitted);
        return new BatchView(counts[0], counts[1], counts[2], results);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_profiles:read')")
    @Operation(summary = "A profile by id (ids merged into another profile lead to it)")
    Profile get(@PathVariable String db, @PathVariable String id) {
        return find(context.database(db).id(), id);
    }

    private Profile find(String db, String id) {
        return store.find(db, id)
                .or(() -> store.findOwner(db, ProfileKey.mergedId(id)).flatMap(owner -> store.find(db, owner)))
                .orElseThrow(() -> new NotFoundException("profile", id));
    }

    /** Either one profile by matching key, or a page of profiles (after a cursor, or searched by text). */
    record ProfilePage(List<Profile> profiles, String next, Long total) {}

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_profiles:read')")
    @Operation(summary = "Find by matching key (matching=email&value=…), search and filter (q=…, field=city&equals=Kazan, "
            + "offset=…), or page through (after=…)")
    Object find(@PathVariable String db, @RequestParam(required = false) String matching,
            @RequestParam(required = false) String value, @RequestParam(required = false) String q,
            @RequestParam(required = false) String field, @RequestParam(required = false) String equals,
            @RequestParam(defaultValue = "0") int offset,
            @RequestParam(required = false) String after, @RequestParam(defaultValue = "50") int limit) {
        ClientDatabase d = context.database(db);
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", limit, "must be between 1 and 1000");
        }
        if (matching != null) {
            return findByMatching(d, matching, value);
        }
        if ((q != null && !q.isBlank()) || field != null) {
            if (field != null && equals == null) {
                throw new InvalidInputException("equals", null, "is required with field");
            }
            if (offset < 0) {
                throw new InvalidInputException("offset", offset, "must be 0 or more");
            }
            ProfileFilter filter = ProfileFilter.of(d, q, field, equals);
            return new ProfilePage(store.search(d.id(), filter, offset, limit), null, store.countSearch(d.id(), filter));
        }
        List<Profile> page = store.page(d.id(), after, limit);
        return new ProfilePage(page, page.size() == limit ? page.get(page.size() - 1).id() : null, null);
    }

    private Profile findByMatching(ClientDatabase d, String matching, String value) {
        if (value == null) {
            throw new InvalidInputException("value", null, "is required with matching");
        }
        if (matching.equals(ProfileKey.MERGED_ID)) {
            return find(d.id(), value);
        }
        var field = d.schema().field(matching).filter(f -> f.unique())
                .orElseThrow(() -> new InvalidInputException("matching", matching, "must be 'id' or a unique field of the database"));
        Object normalized;
        try {
            normalized = field.convert(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("value", value, e.getMessage());
        }
        return store.findOwner(d.id(), new ProfileKey(matching, String.valueOf(normalized)))
                .flatMap(id -> store.find(d.id(), id))
                .orElseThrow(() -> new NotFoundException("profile with " + matching, value));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_profiles:write')")
    @Operation(summary = "Delete a profile")
    void delete(@PathVariable String db, @PathVariable String id) {
        if (!store.delete(context.database(db).id(), id)) {
            throw new NotFoundException("profile", id);
        }
    }

    record HistoryPage(List<Event> events, String nextBefore) {}

    @GetMapping("/{id}/history")
    @PreAuthorize("hasAuthority('SCOPE_events:read')")
    @Operation(summary = "A profile's activity, newest first, with the anonymous visits of the website visitors joined to it; filter by type,"
            + " channel and period; page with 'before'")
    HistoryPage history(@PathVariable String db, @PathVariable String id, @RequestParam(required = false) Set<String> type,
            @RequestParam(required = false) String channel, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) String before,
            @RequestParam(defaultValue = "50") int limit) {
        String key = context.database(db).id();
        Profile p = find(key, id);
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", limit, "must be between 1 and 1000");
        }
        Instant beforeTime = null;
        String beforeId = null;
        if (before != null) {
            int sep = before.indexOf('~');
            try {
                beforeTime = Instant.ofEpochMilli(Long.parseLong(before.substring(0, sep)));
                beforeId = before.substring(sep + 1);
            } catch (RuntimeException e) {
                throw new InvalidInputException("before", before, "must be a cursor returned as nextBefore");
            }
        }
        // the website visitors joined to the profile: their anonymous events are part of its history
        List<Event> page = events.history(new HistoryQuery(key, p.id(), type, channel, from, to, beforeTime, beforeId, limit)
                .alsoOf(visitors.historyKeys(key, p.id())));
        String next = page.size() == limit ? page.get(page.size() - 1).time().toEpochMilli() + "~" + page.get(page.size() - 1).id() : null;
        return new HistoryPage(page, next);
    }
}
