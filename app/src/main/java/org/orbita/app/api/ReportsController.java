package org.orbita.app.api;

import static org.orbita.app.api.ApiContext.blank;
import static org.orbita.app.api.ApiContext.instant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.orbita.audiences.ReportSegments;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.reports.ClickMaps;
import org.orbita.reports.CohortQuery;
import org.orbita.reports.CohortReport;
import org.orbita.reports.Dimension;
import org.orbita.reports.FunnelQuery;
import org.orbita.reports.FunnelReport;
import org.orbita.reports.Report;
import org.orbita.reports.ReportKind;
import org.orbita.reports.ReportQuery;
import org.orbita.reports.Reports;
import org.orbita.reports.SavedReports;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The reports: what each counts (every metric's definition), and each report's figures as JSON, CSV or XLSX. */
@RestController
@Tag(name = "Reports", description = "Channels, growth, bounces, non-delivery, links, cohorts, lifetime value and funnels over the event log; metrics defined once")
class ReportsController {

    private final Reports reports;
    private final SavedReports saved;
    private final ApiContext context;
    private final ReportSegments segments;
    private final ClickMaps clickMaps;

    ReportsController(Reports reports, SavedReports saved, ApiContext context, ReportSegments segments, ClickMaps clickMaps) {
        this.clickMaps = clickMaps;
        this.reports = reports;
        this.saved = saved;
        this.context = context;
        this.segments = segments;
    }

    record Save(String name, String kind, Integer days, Instant from, Instant to, String database, String channel, String campaign,
                String journey, String message, List<String> groupBy, Boolean compare, String segment) {}

    @GetMapping("/api/v1/reports/saved")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "One's saved reports (each person's, or each key's, own)")
    List<SavedReports.Saved> saved() {
        return saved.mine(context.workspaceId());
    }

    @PostMapping("/api/v1/reports/saved")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "Saves a report: {name, kind, days (the last N days, rolling) or from and to (fixed), database, channel, campaign,"
            + " journey, message, groupBy: [...], compare, segment (only its members' events, its members as of each opening)}")
    SavedReports.Saved save(@RequestBody Save in) {
        return saved.save(context.workspaceId(), in.name(), in.kind(), in.days(), in.from(), in.to(), in.database(), in.channel(),
                in.campaign(), in.journey(), in.message(), in.groupBy(), Boolean.TRUE.equals(in.compare()), blank(in.segment()));
    }

    @GetMapping("/api/v1/reports/saved/{id}")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "A saved report's figures as of now (a rolling period ends now)")
    Report open(@PathVariable String id) {
        SavedReports.Saved s = saved.get(context.workspaceId(), id);
        ReportQuery q = s.query(Instant.now());
        return reports.run(context.workspaceId(), ReportKind.find(s.kind()).orElseThrow(), q);
    }

    @DeleteMapping("/api/v1/reports/saved/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "Deletes one of one's saved reports")
    void delete(@PathVariable String id) {
        saved.delete(context.workspaceId(), id);
    }

    /** A figure's definition; {@code machinesExcluded}: whether opens and clicks by machines are left out of it (metrics only). */
    record Definition(String id, String definition, Boolean machinesExcluded) {}

    record Kind(String id, List<Definition> metrics, List<Definition> rates, List<String> defaultGroupBy, List<String> groupBy) {}

    @GetMapping("/api/v1/reports")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "The reports: each one's metrics and rates with what they count (lang=ru for Russian), and what it may be grouped by")
    List<Kind> kinds(@RequestParam(defaultValue = "en") String lang) {
        return Arrays.stream(ReportKind.values()).map(k -> new Kind(k.id(),
                k.metrics().stream().map(m -> new Definition(m.id(), m.definition(lang), m.humansOnly())).toList(),
                k.rates().stream().map(r -> new Definition(r.id(), r.definition(lang), null)).toList(),
                k.defaultGroups().stream().map(Dimension::id).toList(),
                k.groups().stream().map(Dimension::id).toList())).toList();
    }

    static List<String> list(List<String> given) {
        return given == null ? List.of() : given.stream().flatMap(g -> Arrays.stream(g.split(","))).map(String::strip).filter(g -> !g.isEmpty()).toList();
    }

    record CohortFigure(String id, String definition) {}

    record Cohorts(CohortReport report, List<CohortFigure> figures) {}

    @GetMapping("/api/v1/reports/cohorts")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "Cohorts and lifetime value: profiles by the day, week or month of their first event of the start types (start=…,"
            + " profile.created by default) from `from` to `to`; per period since (grain=day|week|month, periods), who had an active event"
            + " (active=…; opens, clicks, conversions by default), retention, revenue (value), cumulative LTV and engaged days per profile")
    Cohorts cohorts(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                    @RequestParam(required = false) String database, @RequestParam(required = false) List<String> start,
                    @RequestParam(required = false) List<String> active, @RequestParam(required = false) String grain,
                    @RequestParam(required = false) Integer periods, @RequestParam(defaultValue = "en") String lang) {
        CohortQuery q = CohortQuery.of(Instant.now(), instant("from", from), instant("to", to), blank(database), list(start), list(active),
                blank(grain), periods);
        return new Cohorts(reports.cohorts(context.workspaceId(), q), Arrays.stream(CohortReport.Figure.values())
                .map(f -> new CohortFigure(f.id(), f.definition(lang))).toList());
    }

    record CohortSegment(String name, Instant from, Instant to, String database, List<String> start, List<String> active, String grain,
                         Integer periods, Instant cohort, Integer period) {}

    record MadeSegment(String segmentId, String name, long profiles) {}

    @PostMapping("/api/v1/reports/cohorts/segment")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_reports:read') and hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "A static segment of one cohort's profiles (cohort: its start as the report gives it), or of those active in one"
            + " period (period); the same question as the report, and the database named")
    MadeSegment cohortSegment(@RequestBody CohortSegment in) {
        if (in.cohort() == null) {
            throw new InvalidInputException("cohort", null, "the cohort's start, as the report gives it");
        }
        CohortQuery q = CohortQuery.of(Instant.now(), in.from(), in.to(), blank(in.database()), in.start(), in.active(), blank(in.grain()),
                in.periods());
        ReportSegments.Made m = segments.fromCohort(context.workspaceId(), q, in.cohort(), in.period(), in.name());
        return new MadeSegment(m.segment().id(), m.segment().name(), m.profiles());
    }

    @GetMapping("/api/v1/reports/click-map")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "The click map: a message's email (version, or the current one) with each link marked with the people who clicked"
            + " it, its clicks and its share of the version's clicks (summed over campaigns), over from–to (the last 30 days by default),"
            + " of every device or one (device: desktop, mobile, tablet, unknown); for a sandboxed frame")
    ClickMaps.ClickMap clickMap(@RequestParam String message, @RequestParam(required = false) Long version,
                                @RequestParam(required = false) String device,
                                @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return clickMaps.of(context.workspaceId(), message, version, blank(device), instant("from", from), instant("to", to));
    }

    record Funnel(Instant from, Instant to, String database, List<FunnelQuery.StepInput> steps, Integer windowHours, String mode,
                  String breakdown) {
        FunnelQuery query() {
            return FunnelQuery.of(Instant.now(), from, to, blank(database), steps, windowHours, blank(mode), blank(breakdown));
        }
    }

    @PostMapping("/api/v1/reports/funnel")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "A funnel: steps [{type, where: {property: value}}] (2 to 10), a first step from `from` to `to` (the last 30 days by"
            + " default), windowHours for the last step after the first (a week by default), mode ordered|strict|any, breakdown (a property"
            + " of the first step's event); each step's profiles, conversion, drop-off and median time from the step before")
    FunnelReport funnel(@RequestBody Funnel in) {
        return reports.funnel(context.workspaceId(), in.query());
    }

    record FunnelSegment(String name, Funnel funnel, Integer step) {}

    @PostMapping("/api/v1/reports/funnel/segment")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_reports:read') and hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "A static segment of a funnel's drop-off at a step (numbered from 1; 2 or more): those who reached the step before"
            + " but not it; the funnel as the report was asked, its database named")
    MadeSegment funnelSegment(@RequestBody FunnelSegment in) {
        if (in.funnel() == null || in.step() == null) {
            throw new InvalidInputException(in.funnel() == null ? "funnel" : "step", null, in.funnel() == null ? "the funnel, as the report was asked"
                    : "the step whose drop-off to keep (2 or more)");
        }
        ReportSegments.Made m = segments.fromFunnelDropOff(context.workspaceId(), in.funnel().query(), in.step(), in.name());
        return new MadeSegment(m.segment().id(), m.segment().name(), m.profiles());
    }

    @GetMapping("/api/v1/reports/{kind}")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "A report's figures: from, to (ISO instants; the last 30 days by default), database, channel, campaign, journey,"
            + " message, segment (its current members' events only), groupBy (up to three of the kind's groupings, comma-separated:"
            + " day,channel), compare=true for the period before;"
            + " add format=csv|xlsx to download it (reports:export)")
    Report report(@PathVariable String kind, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  @RequestParam(required = false) String database, @RequestParam(required = false) String channel,
                  @RequestParam(required = false) String campaign, @RequestParam(required = false) String journey,
                  @RequestParam(required = false) String message, @RequestParam(required = false) List<String> groupBy,
                  @RequestParam(defaultValue = "false") boolean compare, @RequestParam(required = false) String segment) {
        ReportKind k = ReportKind.find(kind).orElseThrow(() -> new NotFoundException("report", kind));
        ReportQuery q = ReportQuery.of(k, Instant.now(), instant("from", from), instant("to", to), blank(database), blank(channel),
                blank(campaign), blank(journey), blank(message), list(groupBy), compare).inSegment(blank(segment));
        return reports.run(context.workspaceId(), k, q);
    }

    @GetMapping(value = "/api/v1/reports/{kind}", params = "format")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    @Operation(summary = "A report as CSV or XLSX (format=csv|xlsx, lang=ru for Russian totals): a column per grouping, each figure, the"
            + " totals last; same filters as the JSON. Needs reports:export, and is written in the audit log")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String kind, @RequestParam String format,
                  @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  @RequestParam(required = false) String database, @RequestParam(required = false) String channel,
                  @RequestParam(required = false) String campaign, @RequestParam(required = false) String journey,
                  @RequestParam(required = false) String message, @RequestParam(required = false) List<String> groupBy,
                  @RequestParam(defaultValue = "en") String lang, @RequestParam(required = false) String segment) {
        String f = TableExport.checkFormat(format);
        Report r = report(kind, from, to, database, channel, campaign, journey, message, groupBy, false, segment);
        reports.allowExport(r, f);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + r.kind().id() + "." + f + "\"")
                .contentType(MediaType.parseMediaType(TableExport.mediaType(f)))
                .body(out -> Reports.write(r, f, lang, out));
    }


}
