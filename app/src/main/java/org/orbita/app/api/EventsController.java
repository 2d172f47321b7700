package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.EventInput;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Events", description = "Activity of profiles: purchases, visits, opens, custom events")
class EventsController {

    private final EventIngest ingest;
    private final ClientDatabases databases;
    private final ApiContext context;

    EventsController(EventIngest ingest, ClientDatabases databases, ApiContext context) {
        this.ingest = ingest;
        this.databases = databases;
        this.context = context;
    }

    private EventIngest.Outcome ingest(List<EventInput> events) {
        String workspace = context.workspaceId();
        return ingest.ingest(events, id -> databases.resolve(workspace, id));
    }

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_events:write')")
    @Operation(summary = "Record one event for the profile found by database, matching and value; with an id (idempotency key)"
            + " already stored it answers 200 with repeat: true and stores nothing")
    ResponseEntity<Map<String, Object>> one(@RequestBody EventInput event) {
        EventIngest.Outcome outcome = ingest(Collections.singletonList(event));
        if (!outcome.rejected().isEmpty()) {
            throw new InvalidInputException(outcome.rejected().get(0).errors());
        }
        if (!outcome.repeats().isEmpty()) {
            return ResponseEntity.ok(Map.of("id", outcome.ids().get(0), "repeat", true));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", outcome.ids().get(0)));
    }

    record Batch(List<EventInput> events) {}

    /** {@code repeats}: indexes of events whose id was already stored (answered as stored, not stored again). */
    record BatchView(int accepted, List<EventIngest.Rejected> rejected, List<Integer> repeats) {}

    @PostMapping("/batch")
    @PreAuthorize("hasAuthority('SCOPE_events:write')")
    @Operation(summary = "Record up to 10,000 events; valid ones are stored together (all or none), invalid ones reported by index,"
            + " repeats of stored ids listed by index")
    BatchView batch(@RequestBody Batch batch) {
        if (batch.events() == null || batch.events().isEmpty() || batch.events().size() > EventIngest.MAX_BATCH) {
            throw new InvalidInputException("events", batch.events() == null ? null : batch.events().size() + " items",
                    "must hold 1 to " + EventIngest.MAX_BATCH + " events");
        }
        EventIngest.Outcome outcome = ingest(batch.events());
        return new BatchView(outcome.accepted(), outcome.rejected(), outcome.repeats());
    }
}
