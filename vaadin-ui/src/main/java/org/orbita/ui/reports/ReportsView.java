package org.orbita.ui.reports;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import jakarta.annotation.security.PermitAll;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.orbita.audiences.Segment;
import org.orbita.audiences.Segments;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.Campaigns;
import org.orbita.profiles.ClientDatabases;
import org.orbita.reports.Dimension;
import org.orbita.reports.Metric;
import org.orbita.reports.Rate;
import org.orbita.reports.Report;
import org.orbita.reports.ReportKind;
import org.orbita.reports.ReportQuery;
import org.orbita.reports.Reports;
import org.orbita.reports.SavedReports;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.tabular.TableExport;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/**
 * Reports: a kind (channels, bounces, non-delivery, links), a period in the workspace's days,
 * filters and up to three groupings; a chart (lines over time, else bars per group) above the
 * table, the totals in its footer, the period before beside them when asked, what each figure
 * counts, and the table as CSV or XLSX.
 */
@Route("reports")
@PageTitle("Orbita — reports")
@PermitAll
public class ReportsView extends VerticalLayout {

    private final Reports reports;
    private final CurrentUser user;
    private final ZoneId zone;
    private final Select<ReportKind> kind = new Select<>();
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final Select<String> database = new Select<>();
    private final Select<String> channel = new Select<>();
    private final ComboBox<Campaign> campaign = new ComboBox<>();
    private final ComboBox<Segment> segment = new ComboBox<>();
    private List<Segment> segmentList = List.of();
    private final MultiSelectComboBox<Dimension> groupBy = new MultiSelectComboBox<>();
    private final Checkbox compare = new Checkbox();
    private final ReportChart chart = new ReportChart();
    private final Div table = new Div();
    private final Span asOf = new Span();
    private final VerticalLayout definitions = new VerticalLayout();
    private final FlexLayout downloads = new FlexLayout();
    private final Select<SavedReports.Saved> savedList = new Select<>();
    private final SavedReports saved;
    private final List<Campaign> campaignList = new ArrayList<>();
    private Report shown;

    public ReportsView(Reports reports, SavedReports saved, CurrentUser user, ClientDatabases databases, Campaigns campaigns,
                       WorkspaceDefaults defaults, Segments segments) {
        this.reports = reports;
        this.saved = saved;
        this.user = user;
        this.zone = Optional.ofNullable(defaults.get(user.workspaceId()).zone()).orElse(ZoneOffset.UTC);
        setSizeFull();
        add(PageHeader.of(getTranslation("reports.title")));
        if (!user.may("reports:read")) {
            add(new Span(getTranslation("reports.notAllowed")));
            return;
        }
        kind.setLabel(getTranslation("reports.kind"));
        kind.setId("report-kind");
        kind.setItems(ReportKind.values());
        kind.setItemLabelGenerator(k -> getTranslation("reports.kind." + k.id()));
        kind.setValue(ReportKind.CHANNELS);
        LocalDate today = LocalDate.now(zone);
        ReportFields.period(this, "report", from, to, today.minusDays(29), today);
        ReportFields.databases(this, "report-database", database, user, databases, false);
        channel.setLabel(getTranslation("reports.channel"));
        channel.setId("report-channel");
        channel.setItems("", "email", "sms", "push", "webpush", "telegram", "inapp", "webhook");
        channel.setItemLabelGenerator(c -> c.isEmpty() ? getTranslation("reports.all") : c);
        channel.setValue("");
        campaign.setLabel(getTranslation("reports.campaign"));
        campaign.setId("report-campaign");
        campaign.setClearButtonVisible(true);
        campaign.setItemLabelGenerator(Campaign::name);
        campaign.setVisible(user.may("campaigns:read"));
        if (campaign.isVisible()) {
            campaignList.addAll(campaigns.list(user.workspaceId()));
            campaign.setItems(campaignList);
        }
        segment.setLabel(getTranslation("reports.segment"));
        segment.setId("report-segment");
        segment.setClearButtonVisible(true);
        segment.setItemLabelGenerator(Segment::name);
        segment.setVisible(user.may("segments:read"));
        if (segment.isVisible()) {
            segmentList = segments.list(user.workspaceId());
            segment.setItems(segmentList);
        }
        segment.setWidth("13em");
        groupBy.setLabel(getTranslation("reports.groupBy"));
        groupBy.setId("report-group-by");
        groupBy.setItemLabelGenerator(d -> getTranslation("reports.dim." + d.id()));
        compare.setLabel(getTranslation("reports.compare"));
        compare.setId("report-compare");
        kind.addValueChangeListener(e -> {
            groupBy.setItems(e.getValue().groups().stream().sorted().toList());
            groupBy.setValue(new LinkedHashSet<>(e.getValue().defaultGroups()));
        });
        groupBy.setItems(ReportKind.CHANNELS.groups().stream().sorted().toList());
        groupBy.setValue(new LinkedHashSet<>(ReportKind.CHANNELS.defaultGroups()));
        Button show = new Button(getTranslation("reports.show"), e -> refresh());
        show.setId("report-show");
        show.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        // two to a row at a phone's width
        for (com.vaadin.flow.component.HasSize field : List.<com.vaadin.flow.component.HasSize>of(kind, from, to, database, channel)) {
            field.setWidth("10em");
        }
        campaign.setWidth("13em");
        groupBy.setWidth("16em");
        FlexLayout filters = new FlexLayout(kind, from, to, database, channel, campaign, segment, groupBy, compare, show);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.setAlignItems(Alignment.BASELINE);
        filters.getStyle().set("gap", "var(--lumo-space-s) var(--lumo-space-m)");
        filters.setWidthFull();
        asOf.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        asOf.setId("report-as-of");
        downloads.getStyle().set("gap", "var(--lumo-space-m)");
        table.setWidthFull();
        Details meaning = new Details(getTranslation("reports.meaning"), definitions);
        meaning.setId("report-meaning");
        definitions.setPadding(false);
        definitions.setSpacing(false);
        savedList.setLabel(getTranslation("reports.saved"));
        savedList.setId("report-saved");
        savedList.setItemLabelGenerator(x -> x == null ? "" : x.name());
        savedList.setEmptySelectionAllowed(true);
        savedList.setEmptySelectionCaption(getTranslation("reports.saved.none"));
        savedList.setWidth("14em");
        savedList.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                open(e.getValue());
            }
        });
        Button keep = new Button(getTranslation("reports.save"), e -> openSave());
        keep.setId("report-save");
        Button forget = new Button(getTranslation("reports.saved.delete"), e -> {
            if (savedList.getValue() != null) {
                saved.delete(user.workspaceId(), savedList.getValue().id());
                reloadSaved(null);
            }
        });
        forget.setId("report-saved-delete");
        forget.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        FlexLayout keeping = new FlexLayout(savedList, keep, forget);
        keeping.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        keeping.setAlignItems(Alignment.BASELINE);
        keeping.getStyle().set("gap", "var(--lumo-space-s) var(--lumo-space-m)");
        reloadSaved(null);
        add(keeping, filters, chart, table, new FlexLayout(asOf), downloads, meaning);
        refresh();
    }

    private void reloadSaved(SavedReports.Saved selected) {
        List<SavedReports.Saved> mine = saved.mine(user.workspaceId());
        savedList.setItems(mine);
        savedList.setValue(selected == null ? null : mine.stream().filter(x -> x.id().equals(selected.id())).findFirst().orElse(null));
    }

    /** Puts a saved report's filters in the fields (a rolling period as the last N days to today) and shows it. */
    private void open(SavedReports.Saved s) {
        ReportQuery q = s.query(java.time.Instant.now());
        kind.setValue(ReportKind.find(s.kind()).orElseThrow());
        from.setValue(q.from().atZone(zone).toLocalDate());
        to.setValue(s.days() != null ? LocalDate.now(zone) : q.to().minusNanos(1).atZone(zone).toLocalDate());
        database.setValue(s.database() == null ? "" : s.database());
        channel.setValue(s.channel() == null ? "" : s.channel());
        campaign.setValue(campaignList.stream().filter(c -> c.id().equals(s.campaign())).findFirst().orElse(null));
        groupBy.setValue(new LinkedHashSet<>(q.groupBy()));
        compare.setValue(s.compare());
        if (segment.isVisible()) {
            segment.setValue(segmentList.stream().filter(x -> x.id().equals(s.segment())).findFirst().orElse(null));
        }
        refresh();
    }

    /** Saves what the fields say under a name; the period kept rolling (the last N days) or fixed. */
    private void openSave() {
        com.vaadin.flow.component.dialog.Dialog dialog = new com.vaadin.flow.component.dialog.Dialog();
        dialog.setHeaderTitle(getTranslation("reports.save"));
        com.vaadin.flow.component.textfield.TextField name = new com.vaadin.flow.component.textfield.TextField(getTranslation("reports.save.name"));
        name.setId("report-save-name");
        name.setWidthFull();
        Checkbox rolling = new Checkbox(getTranslation("reports.save.rolling"), true);
        rolling.setId("report-save-rolling");
        Button ok = new Button(getTranslation("common.save"), e -> {
            try {
                boolean roll = rolling.getValue();
                Integer days = roll && from.getValue() != null && to.getValue() != null
                        ? (int) java.time.temporal.ChronoUnit.DAYS.between(from.getValue(), to.getValue()) + 1 : null;
                SavedReports.Saved s = saved.save(user.workspaceId(), name.getValue(), kind.getValue().id(), days,
                        roll || from.getValue() == null ? null : from.getValue().atStartOfDay(zone).toInstant(),
                        roll || to.getValue() == null ? null : to.getValue().plusDays(1).atStartOfDay(zone).toInstant(),
                        blank(database.getValue()), blank(channel.getValue()), campaign.getValue() == null ? null : campaign.getValue().id(), null,
                        null, groupBy.getValue().stream().sorted().map(Dimension::id).toList(), compare.getValue(),
                        segment.getValue() == null ? null : segment.getValue().id());
                reloadSaved(s);
                dialog.close();
                Problems.success(getTranslation("reports.saved.done", s.name()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("report-save-ok");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new VerticalLayout(name, rolling));
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), ok);
        dialog.open();
    }

    private void refresh() {
        try {
            ReportKind k = kind.getValue();
            ReportQuery q = ReportQuery.of(k, java.time.Instant.now(), from.getValue() == null ? null : from.getValue().atStartOfDay(zone).toInstant(),
                    to.getValue() == null ? null : to.getValue().plusDays(1).atStartOfDay(zone).toInstant(), blank(database.getValue()),
                    blank(channel.getValue()), campaign.getValue() == null ? null : campaign.getValue().id(), null, null,
                    groupBy.getValue().stream().sorted().map(Dimension::id).toList(), compare.getValue())
                    .inSegment(segment.getValue() == null ? null : segment.getValue().id());
            shown = reports.run(user.workspaceId(), k, q);
            draw(shown);
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private void draw(Report r) {
        String language = user.locale().getLanguage();
        NumberFormat numbers = NumberFormat.getNumberInstance(user.locale());
        numbers.setMaximumFractionDigits(2);
        List<Dimension> groups = r.query().groupBy();
        // the table: a column per grouping, then each figure; the totals (and the period before's) in the footer
        Grid<Report.Row> grid = new Grid<>();
        grid.setId("report-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT, GridVariant.LUMO_COLUMN_BORDERS);
        grid.setAllRowsVisible(r.rows().size() <= 30);
        if (r.rows().size() > 30) {
            grid.setHeight("420px");
        }
        List<Grid.Column<Report.Row>> keys = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            int at = i;
            Dimension d = groups.get(i);
            keys.add(grid.addColumn(row -> d.isTime() ? time(d, row.keys().get(at)) : named(d, row.keys().get(at), row.labels().get(at)))
                    .setHeader(getTranslation("reports.dim." + d.id())).setAutoWidth(true).setFrozen(at == 0).setResizable(true));
        }
        List<Grid.Column<Report.Row>> figures = new ArrayList<>();
        for (Metric m : r.metrics()) {
            figures.add(grid.addColumn(row -> format(numbers, row.values().get(m.id()), row.previous() == null ? null : row.previous().get(m.id())))
                    .setHeader(header(getTranslation("reports.metric." + m.id()), m.definition(language))).setTextAlign(ColumnTextAlign.END)
                    .setAutoWidth(true).setKey(m.id()));
        }
        for (Rate x : r.rates()) {
            figures.add(grid.addColumn(row -> percent(numbers, row.values().get(x.id())))
                    .setHeader(header(getTranslation("reports.rate." + x.id()), x.definition(language))).setTextAlign(ColumnTextAlign.END)
                    .setAutoWidth(true).setKey(x.id()));
        }
        grid.setItems(r.rows());
        var footer = grid.appendFooterRow();
        if (!keys.isEmpty()) {
            footer.getCell(keys.get(0)).setText(getTranslation("reports.total"));
        }
        for (Metric m : r.metrics()) {
            footer.getCell(grid.getColumnByKey(m.id())).setText(format(numbers, r.totals().get(m.id()),
                    r.previousTotals() == null ? null : r.previousTotals().get(m.id())));
        }
        for (Rate x : r.rates()) {
            footer.getCell(grid.getColumnByKey(x.id())).setText(percent(numbers, r.totals().get(x.id())));
        }
        table.removeAll();
        table.add(r.rows().isEmpty() ? new Span(getTranslation("reports.empty")) : grid);
        if (r.truncated()) {
            table.add(new Span(getTranslation("reports.truncated", Reports.MAX_ROWS)));
        }
        chart(r);
        asOf.setText(getTranslation("reports.asOf", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(r.asOf().atZone(zone)), zone.getId())
                + (r.query().compare() ? " " + getTranslation("reports.asOf.compared") : ""));
        definitions.removeAll();
        for (Metric m : r.metrics()) {
            definitions.add(new Span(getTranslation("reports.metric." + m.id()) + " — " + m.definition(language)));
        }
        for (Rate x : r.rates()) {
            definitions.add(new Span(getTranslation("reports.rate." + x.id()) + " — " + x.definition(language)));
        }
        downloads.removeAll();
        if (user.may("reports:export")) {
            downloads.add(download(r, "csv"), download(r, "xlsx"));
        }
    }

    /** Groupings whose few values are best seen as shares of a whole. */
    private static final java.util.Set<Dimension> SHARES = java.util.EnumSet.of(Dimension.DEVICE, Dimension.OS, Dimension.BROWSER, Dimension.SOURCE,
            Dimension.KIND);

    /** Lines over time when grouped by time (the first metrics, summed over the other groupings), a pie of the first metric's shares for a few devices, systems, browsers or sources, else bars per group. */
    private void chart(Report r) {
        List<Dimension> groups = r.query().groupBy();
        int time = -1;
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).isTime()) {
                time = i;
            }
        }
        List<Metric> drawn = r.metrics().subList(0, Math.min(4, r.metrics().size()));
        if (time >= 0) {
            int at = time;
            List<String> buckets = r.rows().stream().map(x -> x.keys().get(at)).distinct().sorted().toList();
            List<ReportChart.Series> series = new ArrayList<>();
            for (Metric m : drawn) {
                List<Double> data = new ArrayList<>();
                for (String b : buckets) {
                    data.add(r.rows().stream().filter(x -> x.keys().get(at).equals(b)).mapToDouble(x -> x.values().getOrDefault(m.id(), 0.0)).sum());
                }
                series.add(new ReportChart.Series(getTranslation("reports.metric." + m.id()), data));
            }
            chart.show("line", buckets.stream().map(b -> time(groups.get(at), b)).toList(), series);
        } else if (groups.size() == 1 && SHARES.contains(groups.get(0)) && r.rows().size() <= 8) {
            // a few kinds of one thing (devices, sources…): the first figure's shares
            chart.show("pie", r.rows().stream().map(x -> named(groups.get(0), x.keys().get(0), x.labels().get(0))).toList(),
                    List.of(new ReportChart.Series(getTranslation("reports.metric." + drawn.get(0).id()),
                            r.rows().stream().map(x -> x.values().getOrDefault(drawn.get(0).id(), 0.0)).toList())));
        } else {
            List<Report.Row> top = r.rows().subList(0, Math.min(20, r.rows().size()));
            List<String> categories = top.stream().map(x -> String.join(" · ", x.labels().stream().map(this::label).toList())).toList();
            chart.show("bar", categories, drawn.stream().map(m -> new ReportChart.Series(getTranslation("reports.metric." + m.id()),
                    top.stream().map(x -> x.values().getOrDefault(m.id(), 0.0)).toList())).toList());
        }
        chart.setVisible(!r.rows().isEmpty());
    }

    private Anchor download(Report r, String format) {
        DownloadHandler handler = event -> {
            reports.allowExport(r, format);
            event.setFileName(r.kind().id() + "." + format);
            event.setContentType(TableExport.mediaType(format));
            Reports.write(r, format, user.locale().getLanguage(), event.getOutputStream());
        };
        Anchor a = new Anchor(handler, getTranslation("reports.export", format.toUpperCase()));
        a.setId("report-export-" + format);
        a.getElement().setAttribute("download", true);
        return a;
    }

    private static Span header(String name, String definition) {
        Span s = new Span(name);
        s.setTitle(definition);
        return s;
    }

    /** Where profiles came from, by name ({@code ProfileSource}; a source Orbita does not know yet as its id). */
    /** A group's value as shown: sources and devices by their names in the user's language, the rest by their labels. */
    private String named(Dimension d, String key, String label) {
        String prefix = d == Dimension.SOURCE ? "reports.source." : d == Dimension.DEVICE ? "reports.device." : null;
        if (prefix == null || key.isEmpty()) {
            return label(label);
        }
        String name = getTranslation(prefix + key);
        return name.startsWith("!") ? key : name;
    }

    private String label(String key) {
        return key == null || key.isEmpty() ? getTranslation("reports.none") : key;
    }

    /** A time bucket in the workspace's zone: the hour, the day, or the first day of the week, month, year. */
    private String time(Dimension d, String iso) {
        var at = java.time.Instant.parse(iso).atZone(zone);
        return switch (d) {
            case HOUR -> DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00").format(at);
            case MONTH -> DateTimeFormatter.ofPattern("yyyy-MM").format(at);
            case YEAR -> DateTimeFormatter.ofPattern("yyyy").format(at);
            default -> DateTimeFormatter.ISO_LOCAL_DATE.format(at);
        };
    }

    private String format(NumberFormat numbers, Double value, Double before) {
        String now = value == null ? "" : numbers.format(value);
        if (before == null) {
            return now;
        }
        String change = before == 0 ? "" : " " + (value >= before ? "+" : "") + numbers.format(Math.round((value - before) * 1000 / before) / 10.0) + "%";
        return now + " (" + numbers.format(before) + change + ")";
    }

    private static String percent(NumberFormat numbers, Double value) {
        return value == null ? "—" : numbers.format(value) + " %";
    }
}
