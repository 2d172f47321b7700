package org.orbita.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.streams.DownloadHandler;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.orbita.audit.AuditEntry;
import org.orbita.audit.AuditLog;
import org.orbita.audit.AuditQuery;
import org.orbita.tabular.TableExport;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Problems;

/**
 * Settings › Audit log: who changed what, when and from where, and what was refused — filtered
 * by period, person, action, object and outcome, a page at a time; the chain checked; every
 * matching line exported as CSV or XLSX.
 */
class AuditTab extends VerticalLayout {

    private static final int PAGE = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final AuditLog audit;
    private final ZoneId zone;
    private final Grid<AuditEntry> grid = new Grid<>();
    private final List<AuditEntry> shown = new ArrayList<>();
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final TextField actor = new TextField();
    private final TextField action = new TextField();
    private final TextField object = new TextField();
    private final Select<String> outcome = new Select<>();
    private final Button more = new Button();
    private final Span chain = new Span();

    AuditTab(AuditLog audit, CurrentUser user, ZoneId zone) {
        this.audit = audit;
        this.zone = zone;
        setPadding(false);
        from.setLabel(getTranslation("audit.from"));
        to.setLabel(getTranslation("audit.to"));
        actor.setLabel(getTranslation("audit.actor"));
        actor.setId("audit-actor");
        action.setLabel(getTranslation("audit.action"));
        action.setPlaceholder("campaigns:launch");
        action.setId("audit-action");
        object.setLabel(getTranslation("audit.object"));
        outcome.setLabel(getTranslation("audit.outcome"));
        outcome.setItems("", AuditLog.DONE, AuditLog.REFUSED, "ok", "failed", "locked");
        outcome.setItemLabelGenerator(o -> o.isEmpty() ? getTranslation("audit.any") : getTranslation("audit.outcome." + o));
        outcome.setValue("");
        Button apply = new Button(getTranslation("audit.apply"), VaadinIcon.FILTER.create(), e -> reload());
        apply.setId("audit-apply");
        apply.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FlexLayout filters = new FlexLayout(from, to, actor, action, object, outcome, apply);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.setAlignItems(Alignment.END);
        filters.getStyle().set("gap", "var(--lumo-space-s)");

        grid.setId("audit-lines");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(e -> TIME.format(e.at().atZone(zone))).setHeader(getTranslation("audit.at")).setAutoWidth(true).setFrozen(true);
        grid.addColumn(AuditEntry::actorName).setHeader(getTranslation("audit.actor")).setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader(getTranslation("audit.action")).setAutoWidth(true);
        grid.addColumn(e -> e.objectKind() == null ? "" : e.objectKind() + (e.objectId() == null ? "" : " " + e.objectId()))
                .setHeader(getTranslation("audit.object")).setAutoWidth(true);
        grid.addComponentColumn(e -> {
            Span badge = new Span(getTranslation("audit.outcome." + e.outcome(), e.outcome()));
            badge.getElement().getThemeList().add(AuditLog.DONE.equals(e.outcome()) || "ok".equals(e.outcome()) ? "badge success"
                    : AuditLog.REFUSED.equals(e.outcome()) || e.outcome().contains("fail") || e.outcome().startsWith("lock") ? "badge error" : "badge");
            return badge;
        }).setHeader(getTranslation("audit.outcome")).setAutoWidth(true);
        grid.addColumn(e -> e.detail() == null ? "" : e.detail()).setHeader(getTranslation("audit.detail")).setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(e -> e.address() == null ? "" : e.address()).setHeader(getTranslation("audit.address")).setAutoWidth(true);
        grid.addColumn(e -> e.agent() == null ? "" : e.agent()).setHeader(getTranslation("audit.agent")).setWidth("14em");
        grid.setHeight("28em");

        more.setText(getTranslation("audit.more"));
        more.setId("audit-more");
        more.addClickListener(e -> load(shown.isEmpty() ? 0 : shown.get(shown.size() - 1).seq()));
        Button verify = new Button(getTranslation("audit.verify"), VaadinIcon.CHECK_CIRCLE_O.create(), e -> verify());
        verify.setId("audit-verify");
        chain.setId("audit-chain");
        FlexLayout actions = new FlexLayout(more, verify, chain);
        actions.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        actions.setAlignItems(Alignment.CENTER);
        actions.getStyle().set("gap", "var(--lumo-space-m)");
        if (user.may("audit-log:export")) {
            actions.add(download("csv"), download("xlsx"));
        }
        add(new Paragraph(getTranslation("audit.help")), filters, grid, actions);
        reload();
    }

    private AuditQuery query(long before) {
        String o = outcome.getValue();
        return new AuditQuery(null, start(from.getValue()), to.getValue() == null ? null : start(to.getValue().plusDays(1)),
                blank(actor.getValue()), blank(action.getValue()), null, blank(object.getValue()), o == null || o.isEmpty() ? null : o, before);
    }

    private java.time.Instant start(LocalDate day) {
        return day == null ? null : day.atStartOfDay(zone).toInstant();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private void reload() {
        shown.clear();
        load(0);
    }

    private void load(long before) {
        try {
            List<AuditEntry> page = audit.find(query(before), PAGE);
            shown.addAll(page);
            grid.setItems(shown);
            more.setEnabled(page.size() == PAGE);
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    private void verify() {
        try {
            AuditLog.Verification v = audit.verify();
            chain.setText(v.intact() ? getTranslation("audit.intact", v.checked()) : getTranslation("audit.broken", v.brokenAt()));
            chain.getElement().getThemeList().set("badge success", v.intact());
            chain.getElement().getThemeList().set("badge error", !v.intact());
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    private Anchor download(String format) {
        DownloadHandler handler = event -> {
            event.setFileName("audit-log." + format);
            event.setContentType(TableExport.mediaType(format));
            AuditLog.write(audit.export(query(0)), format, event.getOutputStream());
        };
        Anchor a = new Anchor(handler, getTranslation("audit.export", format.toUpperCase()));
        a.setId("audit-export-" + format);
        a.getElement().setAttribute("download", true);
        return a;
    }
}
