package org.orbita.ui.campaigns;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.orbita.campaigns.Campaigns;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;

/**
 * The send calendar: a month of the workspace's sends, past runs and sends to come (scheduled
 * one-time campaigns, the cron times of regular ones), each opening its campaign.
 */
@Route("calendar")
@PageTitle("Orbita — send calendar")
@PermitAll
public class SendCalendarView extends VerticalLayout {

    private final Campaigns campaigns;
    private final CurrentUser user;
    private final Span month = new Span();
    private final Div grid = new Div();
    private YearMonth shown = YearMonth.now();

    public SendCalendarView(Campaigns campaigns, CurrentUser user) {
        this.campaigns = campaigns;
        this.user = user;
        Button previous = new Button(VaadinIcon.ANGLE_LEFT.create(), e -> show(shown.minusMonths(1)));
        previous.setId("calendar-previous");
        Button next = new Button(VaadinIcon.ANGLE_RIGHT.create(), e -> show(shown.plusMonths(1)));
        next.setId("calendar-next");
        month.setId("calendar-month");
        month.getStyle().set("font-weight", "600").set("min-width", "12em").set("text-align", "center");
        HorizontalLayout bar = new HorizontalLayout(previous, month, next);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        grid.setId("calendar-grid");
        grid.setWidthFull();
        grid.getStyle().set("display", "grid").set("grid-template-columns", "repeat(7, minmax(0, 1fr))").set("gap", "4px");
        add(PageHeader.of(getTranslation("calendar.title"), bar), PageHeader.help(getTranslation("calendar.help")), grid);
        show(shown);
    }

    private void show(YearMonth m) {
        shown = m;
        month.setText(m.getMonth().getDisplayName(TextStyle.FULL_STANDALONE, getLocale()) + " " + m.getYear());
        grid.removeAll();
        for (DayOfWeek d : DayOfWeek.values()) {
            Span head = new Span(d.getDisplayName(TextStyle.SHORT_STANDALONE, getLocale()));
            head.getStyle().set("font-size", "var(--lumo-font-size-s)").set("color", "var(--lumo-secondary-text-color)");
            grid.add(head);
        }
        ZoneId zone = ZoneId.systemDefault();
        LocalDate first = m.atDay(1);
        LocalDate start = first.minusDays(first.getDayOfWeek().getValue() - 1L);
        LocalDate end = m.atEndOfMonth().plusDays(7L - m.atEndOfMonth().getDayOfWeek().getValue());
        Map<LocalDate, List<Campaigns.CalendarEntry>> byDay = new TreeMap<>();
        for (Campaigns.CalendarEntry e : campaigns.calendar(user.workspaceId(), start.atStartOfDay(zone).toInstant(),
                end.plusDays(1).atStartOfDay(zone).toInstant())) {
            byDay.computeIfAbsent(e.at().atZone(zone).toLocalDate(), d -> new ArrayList<>()).add(e);
        }
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            Div cell = new Div();
            cell.getStyle().set("min-height", "6.5em").set("padding", "4px").set("border-radius", "var(--lumo-border-radius-m)")
                    .set("background", d.getMonth() == m.getMonth() ? "var(--lumo-contrast-5pct)" : "transparent")
                    .set("overflow", "hidden");
            if (d.equals(LocalDate.now())) {
                cell.getStyle().set("outline", "2px solid var(--lumo-primary-color-50pct)");
            }
            Span number = new Span(Integer.toString(d.getDayOfMonth()));
            number.getStyle().set("font-size", "var(--lumo-font-size-s)").set("color", "var(--lumo-secondary-text-color)");
            cell.add(number);
            List<Campaigns.CalendarEntry> entries = byDay.getOrDefault(d, List.of());
            for (int i = 0; i < Math.min(4, entries.size()); i++) {
                cell.add(entry(entries.get(i), zone));
            }
            if (entries.size() > 4) {
                Span more = new Span(getTranslation("calendar.more", entries.size() - 4));
                more.getStyle().set("display", "block").set("font-size", "var(--lumo-font-size-xs)");
                cell.add(more);
            }
            grid.add(cell);
        }
    }

    private Span entry(Campaigns.CalendarEntry e, ZoneId zone) {
        String time = e.at().atZone(zone).toLocalTime().withSecond(0).withNano(0).toString();
        Span s = new Span(time + " " + e.name());
        s.addClassName("calendar-entry");
        s.getElement().setAttribute("title", e.name() + " · " + String.join(", ", e.channels()) + " · "
                + getTranslation("calendar.kind." + e.kind()));
        boolean toCome = "scheduled".equals(e.kind());
        s.getStyle().set("display", "block").set("font-size", "var(--lumo-font-size-xs)").set("white-space", "nowrap")
                .set("overflow", "hidden").set("text-overflow", "ellipsis").set("cursor", "pointer").set("margin-top", "2px")
                .set("padding", "1px 4px").set("border-radius", "var(--lumo-border-radius-s)")
                .set("background", toCome ? "var(--lumo-primary-color-10pct)" : "var(--lumo-contrast-10pct)")
                .set("color", toCome ? "var(--lumo-primary-text-color)" : "var(--lumo-body-text-color)");
        s.addClickListener(c -> getUI().ifPresent(ui -> ui.navigate(CampaignEditorView.class, new RouteParameters("id", e.campaignId()))));
        return s;
    }
}
