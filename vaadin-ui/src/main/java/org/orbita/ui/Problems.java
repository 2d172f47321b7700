package org.orbita.ui;

import java.util.List;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import org.orbita.access.ForbiddenException;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;

/** Shows what went wrong in words a person can act on. */
public final class Problems {

    private Problems() {}

    public static void show(RuntimeException e) {
        String text = switch (e) {
            case InvalidInputException invalid -> String.join("\n", invalid.errors().stream().map(Problems::said).toList());
            case ForbiddenException forbidden -> translate("problems.forbidden", translate("permission." + forbidden.needed().id()));
            default -> e.getMessage();
        };
        Notification n = Notification.show(text, 8000, Notification.Position.TOP_CENTER);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    private static final java.util.regex.Pattern CONDITION = java.util.regex.Pattern.compile("conditions\\[(\\d+)]");

    /**
     * One refusal in words: where it is said as a person would point at it ("condition 2 › 1 ›
     * value" rather than {@code definition.conditions[1].conditions[0].value}), then the rule.
     */
    static String said(FieldError f) {
        String where = f.field() == null ? "" : f.field().replaceFirst("^definition\\.?", "");
        List<String> parts = new java.util.ArrayList<>();
        for (String part : where.split("\\.")) {
            java.util.regex.Matcher m = CONDITION.matcher(part);
            parts.add(m.matches() ? translate("problems.condition", Integer.parseInt(m.group(1)) + 1) : part);
        }
        where = String.join(" › ", parts);
        String rule = f.rule() + (f.value() == null ? "" : " (" + translate("problems.given", f.value()) + ")");
        return where.isBlank() ? rule : where + ": " + rule;
    }

    private static String translate(String key, Object... params) {
        com.vaadin.flow.component.UI ui = com.vaadin.flow.component.UI.getCurrent();
        return ui == null ? key + " " + java.util.Arrays.toString(params) : ui.getTranslation(key, params);
    }

    public static void success(String text) {
        Notification n = Notification.show(text, 4000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }
}
