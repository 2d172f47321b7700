package org.orbita.ui.reports;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.IFrame;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.reports.ClickMaps;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/**
 * The click map (N11): an email message as written, in a sandboxed frame (no script runs, no
 * access to the app), each link marked with the people who clicked it, its clicks and its share —
 * of one version's sends, of every device or one; beside it, the table of every clicked link.
 */
@Route("reports/click-map")
@PageTitle("Orbita — click map")
@PermitAll
public class ClickMapView extends VerticalLayout {

    private final ClickMaps maps;
    private final CurrentUser user;
    private final ZoneId zone;
    private final ComboBox<Message> message = new ComboBox<>();
    private final com.vaadin.flow.component.select.Select<Long> version = new com.vaadin.flow.component.select.Select<>();
    private final com.vaadin.flow.component.select.Select<String> device = new com.vaadin.flow.component.select.Select<>();
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final IFrame frame = new IFrame();
    private final Grid<ClickMaps.Link> links = new Grid<>();
    private final Span summary = new Span();

    public ClickMapView(ClickMaps maps, Messages messages, CurrentUser user, WorkspaceDefaults defaults) {
        this.maps = maps;
        this.user = user;
        this.zone = Optional.ofNullable(defaults.get(user.workspaceId()).zone()).orElse(ZoneOffset.UTC);
        setSizeFull();
        add(PageHeader.of(getTranslation("clickmap.title")));
        if (!user.may("reports:read") || !user.may("messages:read")) {
            add(new Span(getTranslation("reports.notAllowed")));
            return;
        }
        message.setLabel(getTranslation("clickmap.message"));
        message.setId("clickmap-message");
        message.setItems(messages.list(user.workspaceId()).stream().filter(m -> m.email() != null).toList());
        message.setItemLabelGenerator(Message::name);
        message.setWidth("18em");
        version.setLabel(getTranslation("clickmap.version"));
        version.setId("clickmap-version");
        version.setWidth("8em");
        version.setItemLabelGenerator(v -> getTranslation("clickmap.versionN", v));
        message.addValueChangeListener(e -> {
            List<Long> numbers = e.getValue() == null ? List.of()
                    : messages.versions(user.workspaceId(), e.getValue().id()).stream().map(Message::version).sorted(Comparator.reverseOrder()).toList();
            version.setItems(numbers);
            version.setValue(numbers.isEmpty() ? null : numbers.get(0));
        });
        device.setLabel(getTranslation("reports.dim.device"));
        device.setId("clickmap-device");
        device.setWidth("10em");
        device.setEmptySelectionAllowed(true);
        device.setEmptySelectionCaption(getTranslation("clickmap.allDevices"));
        device.setItems(ClickMaps.PEOPLES_DEVICES);
        device.setItemLabelGenerator(d -> d == null ? getTranslation("clickmap.allDevices") : getTranslation("reports.device." + d));
        LocalDate today = LocalDate.now(zone);
        from.setLabel(getTranslation("reports.from"));
        from.setId("clickmap-from");
        from.setValue(today.minusDays(29));
        from.setWidth("10em");
        to.setLabel(getTranslation("reports.to"));
        to.setId("clickmap-to");
        to.setValue(today);
        to.setWidth("10em");
        Button show = new Button(getTranslation("reports.show"), e -> refresh());
        show.setId("clickmap-show");
        show.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FlexLayout filters = new FlexLayout(message, version, device, from, to, show);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.setAlignItems(Alignment.BASELINE);
        filters.getStyle().set("gap", "var(--lumo-space-s) var(--lumo-space-m)");
        // the message is the workspace's own HTML: shown without scripts, forms or same-origin access
        frame.setSandbox(IFrame.SandboxType.RESTRICT_ALL);
        frame.setId("clickmap-frame");
        frame.setWidthFull();
        frame.setHeight("560px");
        frame.getStyle().set("border", "1px solid var(--lumo-contrast-20pct)").set("flex-shrink", "0").set("background", "#fff");
        links.setId("clickmap-links");
        links.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_COLUMN_BORDERS);
        links.setAllRowsVisible(true);
        NumberFormat numbers = NumberFormat.getNumberInstance(user.locale());
        links.addColumn(l -> l.url() + (l.inMessage() ? "" : " " + getTranslation("clickmap.otherVersion"))).setHeader(getTranslation("reports.dim.link"))
                .setFlexGrow(3);
        links.addColumn(l -> numbers.format(l.people())).setHeader(getTranslation("reports.metric.clicked")).setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        links.addColumn(l -> numbers.format(l.clicks())).setHeader(getTranslation("reports.metric.clicks")).setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        links.addColumn(l -> l.share() == null ? "—" : numbers.format(l.share()) + " %").setHeader(getTranslation("clickmap.share"))
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        summary.setId("clickmap-summary");
        Span legend = new Span(getTranslation("clickmap.legend"));
        legend.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        frame.setVisible(false);
        links.setVisible(false);
        add(filters, legend, summary, frame, links);
    }

    private void refresh() {
        if (message.getValue() == null) {
            return;
        }
        try {
            Instant start = from.getValue() == null ? null : from.getValue().atStartOfDay(zone).toInstant();
            Instant end = to.getValue() == null ? null : to.getValue().plusDays(1).atStartOfDay(zone).toInstant();
            ClickMaps.ClickMap map = maps.of(user.workspaceId(), message.getValue().id(), version.getValue(), device.getValue(), start, end);
            frame.setSrcdoc(map.html());
            frame.setVisible(true);
            links.setItems(map.links());
            links.setVisible(!map.links().isEmpty());
            summary.setText(getTranslation("clickmap.summary", map.version(), map.people(), map.clicks()));
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }
}
