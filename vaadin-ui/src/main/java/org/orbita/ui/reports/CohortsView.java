package org.orbita.ui.reports;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.orbita.audiences.ReportSegments;
import org.orbita.profiles.ClientDatabases;
import org.orbita.reports.CohortQuery;
import org.orbita.reports.CohortReport;
import org.orbita.reports.Reports;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/**
 * Cohorts and lifetime value (N4, N5): profiles by the day, week or month of their first start
 * event, a heatmap and a table of one figure per period since (retention, active profiles,
 * revenue, LTV, engaged days), each figure's definition; a click on a cell makes a static
 * segment of that cohort's profiles active in that period (or, in the size column, of the cohort).
 */
@Route("reports/cohorts")
@PageTitle("Orbita — cohorts")
@PermitAll
public class CohortsView extends VerticalLayout {

    private final Reports reports;
    private final ReportSegments segments;
    private final CurrentUser user;
    private final ZoneId zone;
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final Select<String> database = new Select<>();
    private final Select<String> grain = new Select<>();
    private final IntegerField periods = new IntegerField();
    private final TextField start = new TextField();
    private final TextField active = new TextField();
    private final Select<CohortReport.Figure> figure = new Select<>();
    private final ReportChart chart = new ReportChart();
    private final Div table = new Div();
    private final Span asOf = new Span();
    private final VerticalLayout definitions = new VerticalLayout();
    private CohortReport shown;

    public CohortsView(Reports reports, ReportSegments segments, CurrentUser user, ClientDatabases databases, WorkspaceDefaults defaults) {
        this.reports = reports;
        this.segments = segments;
        this.user = user;
        this.zone = Optional.ofNullable(defaults.get(user.workspaceId()).zone()).orElse(ZoneOffset.UTC);
        setSizeFull();
        add(PageHeader.of(getTranslation("cohorts.title")));
        if (!user.may("reports:read")) {
            add(new Span(getTranslation("reports.notAllowed")));
            return;
        }
        LocalDate today = LocalDate.now(zone);
        ReportFields.period(this, "cohort", from, to, today.minusWeeks(8), today);
        ReportFields.databases(this, "cohort-database", database, user, databases, true);
        grain.setLabel(getTranslation("cohorts.grain"));
        grain.setId("cohort-grain");
        grain.setItems("day", "week", "month");
        grain.setItemLabelGenerator(g -> getTranslation("reports.dim." + g));
        grain.setValue("week");
        periods.setLabel(getTranslation("cohorts.periods"));
        periods.setId("cohort-periods");
        periods.setMin(1);
        periods.setMax(31);
        periods.setValue(8);
        periods.setStepButtonsVisible(true);
        start.setLabel(getTranslation("cohorts.start"));
        start.setId("cohort-start");
        start.setValue(String.join(", ", CohortQuery.DEFAULT_START.stream().sorted().toList()));
        start.setHelperText(getTranslation("cohorts.types.help"));
        active.setLabel(getTranslation("cohorts.active"));
        active.setId("cohort-active");
        active.setValue(String.join(", ", CohortQuery.DEFAULT_ACTIVE.stream().sorted().toList()));
        figure.setLabel(getTranslation("cohorts.figure"));
        figure.setId("cohort-figure");
        figure.setItems(CohortReport.Figure.values());
        figure.setItemLabelGenerator(f -> getTranslation("cohorts.figure." + f.id()));
        figure.setValue(CohortReport.Figure.RETENTION);
        figure.addValueChangeListener(e -> {
            if (shown != null) {
                draw(shown);
            }
        });
        for (com.vaadin.flow.component.HasSize field : List.<com.vaadin.flow.component.HasSize>of(from, to, database, grain, periods, figure)) {
            field.setWidth("10em");
        }
        start.setWidth("16em");
        active.setWidth("24em");
        Button show = new Button(getTranslation("reports.show"), e -> refresh());
        show.setId("cohort-show");
        show.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FlexLayout filters = new FlexLayout(from, to, database, grain, periods, start, active, figure, show);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.setAlignItems(Alignment.BASELINE);
        filters.getStyle().set("gap", "var(--lumo-space-s) var(--lumo-space-m)");
        filters.setWidthFull();
        chart.setHeight("320px");
        chart.onCellClick((column, row) -> {
            if (shown != null && row < shown.cohorts().size()) {
                offerSegment(shown.cohorts().get(row), column);
            }
        });
        table.setWidthFull();
        asOf.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        asOf.setId("cohort-as-of");
        definitions.setPadding(false);
        definitions.setSpacing(false);
        Details meaning = new Details(getTranslation("reports.meaning"), definitions);
        Span hint = new Span(getTranslation("cohorts.hint"));
        hint.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        add(filters, hint, chart, table, asOf, meaning);
        refresh();
    }

    private CohortQuery query() {
        return CohortQuery.of(Instant.now(), from.getValue() == null ? null : from.getValue().atStartOfDay(zone).toInstant(),
                to.getValue() == null ? null : to.getValue().plusDays(1).atStartOfDay(zone).toInstant(), blank(database.getValue()),
                types(start.getValue()), types(active.getValue()), grain.getValue(), periods.getValue());
    }

    private static List<String> types(String text) {
        return text == null ? List.of() : Arrays.stream(text.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private void refresh() {
        try {
            shown = reports.cohorts(user.workspaceId(), query());
            draw(shown);
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    private void draw(CohortReport r) {
        String language = user.locale().getLanguage();
        NumberFormat numbers = NumberFormat.getNumberInstance(user.locale());
        numbers.setMaximumFractionDigits(2);
        CohortReport.Figure f = figure.getValue();
        int width = r.cohorts().stream().mapToInt(c -> c.cells().size()).max().orElse(0);
        Grid<CohortReport.Cohort> grid = new Grid<>();
        grid.setId("cohort-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_COLUMN_BORDERS);
        grid.setAllRowsVisible(true);
        grid.addColumn(c -> label(c.start())).setHeader(getTranslation("cohorts.cohort")).setAutoWidth(true).setFrozen(true);
        grid.addColumn(c -> numbers.format(c.size())).setHeader(getTranslation("cohorts.size")).setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true).setKey("size");
        for (int p = 0; p < width; p++) {
            int at = p;
            grid.addColumn(c -> at < c.cells().size() ? text(numbers, f, c.cells().get(at)) : "")
                    .setHeader(getTranslation("cohorts.period", p)).setTextAlign(ColumnTextAlign.END).setAutoWidth(true).setKey("p" + p);
        }
        grid.addItemClickListener(e -> {
            String key = e.getColumn() == null ? null : e.getColumn().getKey();
            if ("size".equals(key)) {
                offerSegment(e.getItem(), null);
            } else if (key != null && key.startsWith("p") && Integer.parseInt(key.substring(1)) < e.getItem().cells().size()) {
                offerSegment(e.getItem(), Integer.parseInt(key.substring(1)));
            }
        });
        grid.setItems(r.cohorts());
        table.removeAll();
        table.add(r.cohorts().isEmpty() ? new Span(getTranslation("reports.empty")) : grid);
        List<String> columns = new ArrayList<>();
        for (int p = 0; p < width; p++) {
            columns.add(getTranslation("cohorts.period", p));
        }
        List<List<Object>> cells = new ArrayList<>();
        double max = 0;
        for (int y = 0; y < r.cohorts().size(); y++) {
            CohortReport.Cohort c = r.cohorts().get(y);
            for (CohortReport.Cell cell : c.cells()) {
                double v = value(f, cell);
                max = Math.max(max, v);
                cells.add(List.of(cell.period(), y, v, text(numbers, f, cell)));
            }
        }
        chart.heatmap(columns, r.cohorts().stream().map(c -> label(c.start()) + " (" + numbers.format(c.size()) + ")").toList(), cells, max);
        chart.setVisible(!r.cohorts().isEmpty());
        asOf.setText(getTranslation("reports.asOf", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(r.asOf().atZone(zone)), zone.getId()));
        definitions.removeAll();
        for (CohortReport.Figure x : CohortReport.Figure.values()) {
            definitions.add(new Span(getTranslation("cohorts.figure." + x.id()) + " — " + x.definition(language)));
        }
    }

    private static double value(CohortReport.Figure f, CohortReport.Cell c) {
        return switch (f) {
            case ACTIVE -> c.active();
            case RETENTION -> c.retention() == null ? 0 : c.retention();
            case EVENTS -> c.events();
            case REVENUE -> c.revenue();
            case LTV -> c.ltv();
            case ENGAGED_DAYS -> c.engagedDays();
        };
    }

    /** A cell's figure as shown; a period still running is marked with an asterisk. */
    private static String text(NumberFormat numbers, CohortReport.Figure f, CohortReport.Cell c) {
        String v = numbers.format(value(f, c)) + (f == CohortReport.Figure.RETENTION ? " %" : "");
        return c.complete() ? v : v + "*";
    }

    private String label(Instant cohortStart) {
        var at = cohortStart.atZone(zone);
        return "month".equals(grain.getValue()) ? DateTimeFormatter.ofPattern("yyyy-MM").format(at) : DateTimeFormatter.ISO_LOCAL_DATE.format(at);
    }

    /** Asks for a name, then makes a static segment of the cohort (period null) or of its profiles active in the period. */
    private void offerSegment(CohortReport.Cohort cohort, Integer period) {
        String what = period == null ? getTranslation("cohorts.segment.whole", label(cohort.start()))
                : getTranslation("cohorts.segment.cell", label(cohort.start()), getTranslation("cohorts.period", period));
        SegmentFromReport.offer(user, blank(database.getValue()), "cohort", what, what,
                name -> segments.fromCohort(user.workspaceId(), query(), cohort.start(), period, name));
    }
}
