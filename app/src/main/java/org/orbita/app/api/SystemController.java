package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.orbita.app.security.SignInAudit;
import org.orbita.audiences.SegmentReactor;
import org.orbita.audit.AuditEntry;
import org.orbita.common.InvalidInputException;
import org.orbita.events.EventBus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** How the platform's reactions are doing: what each listener of the event bus heard and failed on, and what waits. */
@RestController
@Tag(name = "System", description = "The platform's own state, for operators")
class SystemController {

    private final EventBus bus;
    private final SegmentReactor reactor;
    private final SignInAudit signIns;

    SystemController(EventBus bus, SegmentReactor reactor, SignInAudit signIns) {
        this.bus = bus;
        this.reactor = reactor;
        this.signIns = signIns;
    }

    /** The event bus's listeners, loops it stopped, and the real-time segment evaluation's failures and queue. */
    record Reactions(List<EventBus.ListenerStats> listeners, long loopsStopped, long segmentFailures, long segmentsWaiting) {}

    @GetMapping("/api/v1/system/reactions")
    @PreAuthorize("hasAuthority('SCOPE_jobs:read')")
    @Operation(summary = "What each listener of the event bus handled, failed on (logged with the events) and has waiting; loops stopped;"
            + " failed real-time segment evaluations (each retried by a full recompute)")
    Reactions reactions() {
        return new Reactions(bus.stats(), bus.loopsStopped(), reactor.failures(), reactor.waiting());
    }

    @GetMapping("/api/v1/system/sign-ins")
    @PreAuthorize("hasAuthority('SCOPE_audit:read')")
    @Operation(summary = "Sign-in attempts (the audit log's sign-in lines): succeeded, failed, throttled, locked, without the form's token, lockouts; newest first")
    List<AuditEntry> signIns(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", limit, "must be between 1 and 1000");
        }
        return signIns.newest(limit);
    }
}
