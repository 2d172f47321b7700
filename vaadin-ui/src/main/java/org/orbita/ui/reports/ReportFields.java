package org.orbita.ui.reports;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.select.Select;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.ui.CurrentUser;

/** The fields every report page asks first: its period in the workspace's days, and a database ("all", or one the user may read). */
final class ReportFields {

    private ReportFields() {}

    /** Labels the period's pickers ({@code <prefix>-from}, {@code <prefix>-to}) and sets them to {@code start} … {@code end}. */
    static void period(Component page, String prefix, DatePicker from, DatePicker to, LocalDate start, LocalDate end) {
        from.setLabel(page.getTranslation("reports.from"));
        from.setId(prefix + "-from");
        from.setValue(start);
        to.setLabel(page.getTranslation("reports.to"));
        to.setId(prefix + "-to");
        to.setValue(end);
    }

    /**
     * Fills a database choice: "" for all, then the workspace's databases by name (none without
     * {@code databases:read}); preselects the only one when there is one, if {@code onlyOne}.
     */
    static void databases(Component page, String id, Select<String> database, CurrentUser user, ClientDatabases databases, boolean onlyOne) {
        database.setLabel(page.getTranslation("reports.database"));
        database.setId(id);
        List<String> ids = new ArrayList<>(List.of(""));
        List<ClientDatabase> mine = user.may("databases:read") ? databases.list(user.workspaceId()) : List.of();
        mine.forEach(d -> ids.add(d.publicId()));
        database.setItems(ids);
        database.setItemLabelGenerator(x -> x.isEmpty() ? page.getTranslation("reports.all") : mine.stream().filter(d -> d.publicId().equals(x))
                .findFirst().map(ClientDatabase::name).orElse(x));
        database.setValue(onlyOne && mine.size() == 1 ? mine.get(0).publicId() : "");
    }
}
