package org.orbita.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Editing the items of a list kept inside one object (a container's tags, a form's questions):
 * a grid under an *Add* button, a dialog per item with *Save* and *Delete*, and the list with one
 * item added, replaced or removed — the whole object is then saved and checked by its service.
 */
public final class ItemEditing {

    private ItemEditing() {}

    /** The list with {@code before} replaced by {@code after}; {@code after} added when {@code before} is null, {@code before} removed when {@code after} is. */
    public static <T> List<T> replaced(List<T> list, T before, T after) {
        List<T> out = new ArrayList<>(list);
        int i = before == null ? -1 : out.indexOf(before);
        if (after == null) {
            out.remove(before);
        } else if (i < 0) {
            out.add(after);
        } else {
            out.set(i, after);
        }
        return out;
    }

    /** A grid with an *Add* button ({@code id}) above it, enabled for those who may write. */
    public static Component section(Component owner, Grid<?> grid, String id, boolean writes, Runnable add) {
        Button create = new Button(owner.getTranslation("tags.add"), VaadinIcon.PLUS.create(), e -> add.run());
        create.setId(id);
        create.setEnabled(writes);
        VerticalLayout l = new VerticalLayout(create, grid);
        l.setPadding(false);
        return l;
    }

    /** An item's dialog, open: its form, *Save* ({@code save-item}), and *Delete* when {@code remove} is given. */
    public static Dialog dialog(Component owner, boolean writes, String title, Component body, Runnable ok, Runnable remove) {
        Dialog d = new Dialog();
        d.setHeaderTitle(title);
        d.add(body);
        Button save = new Button(owner.getTranslation("messages.save"), e -> ok.run());
        save.setId("save-item");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setEnabled(writes);
        Button delete = new Button(owner.getTranslation("messages.delete"), e -> remove.run());
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        delete.setVisible(remove != null && writes);
        d.getFooter().add(delete, new Button(owner.getTranslation("segments.cancel"), e -> d.close()), save);
        d.setWidth("min(100%, 760px)");
        d.open();
        return d;
    }
}
