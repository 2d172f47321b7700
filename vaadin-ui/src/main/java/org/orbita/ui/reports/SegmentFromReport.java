package org.orbita.ui.reports;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import java.util.function.Function;
import org.orbita.audiences.ReportSegments;
import org.orbita.common.InvalidInputException;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Problems;

/**
 * The dialog that turns people a report found (a cohort's cell, a funnel's drop-off) into a
 * static segment: what they are, a name to give it, then the segment made and its size shown.
 * Offered only to those who may write segments, and only when one database is chosen.
 */
final class SegmentFromReport {

    private SegmentFromReport() {}

    /**
     * Opens the dialog; {@code make} makes the segment under the name given. {@code idPrefix}
     * names its fields ({@code cohort}: {@code cohort-segment-name}, {@code cohort-segment-ok}).
     */
    static void offer(CurrentUser user, String database, String idPrefix, String what, String suggestedName, Function<String, ReportSegments.Made> make) {
        if (!user.may("segments:write")) {
            return;
        }
        Dialog dialog = new Dialog();
        if (database == null || database.isBlank()) {
            Problems.show(new InvalidInputException("database", null, dialog.getTranslation("cohorts.segment.database")));
            return;
        }
        dialog.setHeaderTitle(dialog.getTranslation("cohorts.segment.title"));
        TextField name = new TextField(dialog.getTranslation("cohorts.segment.name"));
        name.setId(idPrefix + "-segment-name");
        name.setWidthFull();
        name.setValue(suggestedName);
        Button ok = new Button(dialog.getTranslation("cohorts.segment.make"), e -> {
            try {
                ReportSegments.Made made = make.apply(name.getValue());
                dialog.close();
                Problems.success(dialog.getTranslation("cohorts.segment.done", made.segment().name(), made.profiles()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId(idPrefix + "-segment-ok");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new VerticalLayout(new Span(what), name));
        dialog.getFooter().add(new Button(dialog.getTranslation("common.cancel"), e -> dialog.close()), ok);
        dialog.open();
    }
}
