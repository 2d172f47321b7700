package org.orbita.ui.reports;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.audiences.ReportSegments;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.ClientDatabases;
import org.orbita.reports.FunnelQuery;
import org.orbita.reports.FunnelReport;
import org.orbita.reports.FunnelWalk;
import org.orbita.reports.Reports;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/**
 * Funnels (N6): up to ten steps (an event type and {@code property=value} filters), the period a
 * first step falls in, the conversion window, the order mode and a breakdown; bars of each step's
 * profiles above a table of conversion, drop-off and median times; a click on a step's drop-off
 * makes a static segment of those who stopped there.
 */
@Route("reports/funnels")
@PageTitle("Orbita — funnels")
@PermitAll
public class FunnelsView extends VerticalLayout {

    private final Reports reports;
    private final ReportSegments segments;
    private final CurrentUser user;
    private final ZoneId zone;
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final Select<String> database = new Select<>();
    private final IntegerField window = new IntegerField();
    private final Select<FunnelWalk.Mode> mode = new Select<>();
    private final TextField breakdown = new TextField();
    private final VerticalLayout stepFields = new VerticalLayout();
    private final List<TextField[]> steps = new ArrayList<>();
    private final ReportChart chart = new ReportChart();
    private final Div table = new Div();
    private final Span asOf = new Span();
    private FunnelQuery asked;

    public FunnelsView(Reports reports, ReportSegments segments, CurrentUser user, ClientDatabases databases, WorkspaceDefaults defaults) {
        this.reports = reports;
        this.segments = segments;
        this.user = user;
        this.zone = Optional.ofNullable(defaults.get(user.workspaceId()).zone()).orElse(ZoneOffset.UTC);
        setSizeFull();
        add(PageHeader.of(getTranslation("funnels.title")));
        if (!user.may("reports:read")) {
            add(new Span(getTranslation("reports.notAllowed")));
            return;
        }
        LocalDate today = LocalDate.now(zone);
        ReportFields.period(this, "funnel", from, to, today.minusDays(29), today);
        ReportFields.databases(this, "funnel-database", database, user, databases, true);
        window.setLabel(getTranslation("funnels.window"));
        window.setId("funnel-window");
        window.setMin(1);
        window.setValue(24 * 7);
        mode.setLabel(getTranslation("funnels.mode"));
        mode.setId("funnel-mode");
        mode.setItems(FunnelWalk.Mode.values());
        mode.setItemLabelGenerator(m -> getTranslation("funnels.mode." + m.name().toLowerCase(java.util.Locale.ROOT)));
        mode.setValue(FunnelWalk.Mode.ORDERED);
        breakdown.setLabel(getTranslation("funnels.breakdown"));
        breakdown.setId("funnel-breakdown");
        breakdown.setPlaceholder(getTranslation("funnels.breakdown.example"));
        for (com.vaadin.flow.component.HasSize f : List.<com.vaadin.flow.component.HasSize>of(from, to, database, window, mode, breakdown)) {
            f.setWidth("10em");
        }
        stepFields.setPadding(false);
        stepFields.setSpacing(false);
        addStep("message.sent", "");
        addStep("message.opened", "");
        addStep("message.clicked", "");
        Button more = new Button(getTranslation("funnels.addStep"), VaadinIcon.PLUS.create(), e -> {
            if (steps.size() < 10) {
                addStep("", "");
            }
        });
        more.setId("funnel-add-step");
        more.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button show = new Button(getTranslation("reports.show"), e -> refresh());
        show.setId("funnel-show");
        show.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FlexLayout filters = new FlexLayout(from, to, database, window, mode, breakdown);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.getStyle().set("gap", "var(--lumo-space-s) var(--lumo-space-m)");
        filters.setWidthFull();
        table.setWidthFull();
        asOf.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        Span hint = new Span(getTranslation("funnels.hint"));
        hint.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        add(filters, stepFields, new FlexLayout(more, show), hint, chart, table, asOf);
        refresh();
    }

    private void addStep(String type, String where) {
        int n = steps.size() + 1;
        TextField t = new TextField(getTranslation("funnels.step", n));
        t.setId("funnel-step-" + n);
        t.setValue(type);
        t.setWidth("14em");
        TextField w = new TextField(getTranslation("funnels.where"));
        w.setId("funnel-where-" + n);
        w.setValue(where);
        w.setPlaceholder(getTranslation("funnels.where.example"));
        w.setWidth("16em");
        steps.add(new TextField[] {t, w});
        FlexLayout row = new FlexLayout(t, w);
        row.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        row.getStyle().set("gap", "var(--lumo-space-m)");
        stepFields.add(row);
    }

    private FunnelQuery query() {
        List<FunnelQuery.StepInput> in = new ArrayList<>();
        for (TextField[] s : steps) {
            if (s[0].getValue().isBlank()) {
                continue;
            }
            Map<String, String> where = new LinkedHashMap<>();
            for (String part : s[1].getValue().split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq < 0) {
                    throw new InvalidInputException("where", part.strip(), getTranslation("funnels.where.rule"));
                }
                where.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
            in.add(new FunnelQuery.StepInput(s[0].getValue().strip(), where));
        }
        return FunnelQuery.of(Instant.now(), from.getValue() == null ? null : from.getValue().atStartOfDay(zone).toInstant(),
                to.getValue() == null ? null : to.getValue().plusDays(1).atStartOfDay(zone).toInstant(), blank(database.getValue()), in,
                window.getValue(), mode.getValue().name(), blank(breakdown.getValue()));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private void refresh() {
        try {
            asked = query();
            draw(reports.funnel(user.workspaceId(), asked));
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    private void draw(FunnelReport r) {
        NumberFormat numbers = NumberFormat.getNumberInstance(user.locale());
        numbers.setMaximumFractionDigits(2);
        Grid<FunnelReport.Step> grid = new Grid<>();
        grid.setId("funnel-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_COLUMN_BORDERS);
        grid.setAllRowsVisible(true);
        grid.addColumn(s -> s.number() + ". " + s.type()).setHeader(getTranslation("funnels.stepColumn")).setAutoWidth(true).setFrozen(true);
        grid.addColumn(s -> numbers.format(s.profiles())).setHeader(getTranslation("funnels.profiles")).setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(s -> percent(numbers, s.fromFirst())).setHeader(getTranslation("funnels.fromFirst")).setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(s -> percent(numbers, s.fromPrevious())).setHeader(getTranslation("funnels.fromPrevious")).setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(s -> s.number() == 1 ? "" : numbers.format(s.droppedOff())).setHeader(getTranslation("funnels.droppedOff"))
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true).setKey("dropped");
        grid.addColumn(s -> duration(s.medianSeconds())).setHeader(getTranslation("funnels.median")).setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addItemClickListener(e -> {
            if (e.getColumn() != null && "dropped".equals(e.getColumn().getKey()) && e.getItem().number() > 1 && e.getItem().droppedOff() > 0) {
                offerSegment(e.getItem());
            }
        });
        grid.setItems(r.steps());
        table.removeAll();
        table.add(grid);
        table.add(new Span(getTranslation("funnels.overall", percent(numbers, r.conversion()), duration(r.medianSecondsToConvert()))));
        if (!r.breakdown().isEmpty()) {
            Grid<FunnelReport.Breakdown> by = new Grid<>();
            by.setId("funnel-breakdown-grid");
            by.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_COLUMN_BORDERS);
            by.setAllRowsVisible(true);
            by.addColumn(b -> b.value().isEmpty() ? getTranslation("reports.none") : b.value()).setHeader(r.query().breakdown()).setAutoWidth(true);
            for (int i = 0; i < r.steps().size(); i++) {
                int at = i;
                by.addColumn(b -> numbers.format(b.profiles().get(at))).setHeader(getTranslation("funnels.step", i + 1))
                        .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
            }
            by.setItems(r.breakdown());
            table.add(by);
        }
        chart.show("bar", r.steps().stream().map(s -> s.number() + ". " + s.type()).toList(), List.of(new ReportChart.Series(
                getTranslation("funnels.profiles"), r.steps().stream().map(s -> (double) s.profiles()).toList())));
        asOf.setText(getTranslation("reports.asOf", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(r.asOf().atZone(zone)), zone.getId()));
    }

    private static String percent(NumberFormat numbers, Double v) {
        return v == null ? "—" : numbers.format(v) + " %";
    }

    /** A median time as days, hours, minutes or seconds. */
    private String duration(Long seconds) {
        if (seconds == null) {
            return "—";
        }
        Duration d = Duration.ofSeconds(seconds);
        return d.toDays() > 0 ? getTranslation("funnels.days", d.toDays(), d.toHoursPart()) : d.toHours() > 0
                ? getTranslation("funnels.hours", d.toHours(), d.toMinutesPart()) : getTranslation("funnels.minutes", d.toMinutes(), d.toSecondsPart());
    }

    private void offerSegment(FunnelReport.Step step) {
        FunnelQuery q = asked;
        SegmentFromReport.offer(user, q == null ? null : q.database(), "funnel", getTranslation("funnels.segment.what", step.droppedOff(), step.number()),
                getTranslation("funnels.segment.default", step.number(), step.type()),
                name -> segments.fromFunnelDropOff(user.workspaceId(), q, step.number(), name));
    }
}
