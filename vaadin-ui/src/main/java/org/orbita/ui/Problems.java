package org.orbita.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;

/** Shows what went wrong in words a person can act on. */
public final class Problems {

    private Problems() {}

    public static void show(RuntimeException e) {
        String text = e instanceof InvalidInputException invalid
                ? String.join("\n", invalid.errors().stream().map(FieldError::toString).toList())
                : e.getMessage();
        Notification n = Notification.show(text, 8000, Notification.Position.TOP_CENTER);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    public static void success(String text) {
        Notification n = Notification.show(text, 4000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }
}
