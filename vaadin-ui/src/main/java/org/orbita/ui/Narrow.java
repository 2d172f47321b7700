package org.orbita.ui;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.shared.Registration;

/**
 * Layouts that change on a phone's width: told once the page's width is known and again at
 * each resize, for as long as the component is shown.
 */
public final class Narrow {

    /** Below this many CSS pixels a page is laid out for a phone. */
    public static final int PHONE = 700;

    private Narrow() {}

    /** Calls {@code change} with whether the window is narrower than {@code below} pixels, now and on every resize. */
    public static void watch(Component c, int below, Consumer<Boolean> change) {
        c.addAttachListener(attached -> {
            UI ui = attached.getUI();
            ui.getPage().retrieveExtendedClientDetails(d -> change.accept(d.getWindowInnerWidth() < below));
            Registration resize = ui.getPage().addBrowserWindowResizeListener(e -> change.accept(e.getWidth() < below));
            Registration[] detach = new Registration[1];
            detach[0] = c.addDetachListener(detached -> {
                resize.remove();
                detach[0].remove();
            });
        });
    }

    /** Side by side while they fit; the rest go to the next line on a narrow screen (never past its edge). */
    public static com.vaadin.flow.component.orderedlayout.HorizontalLayout row(Component... parts) {
        com.vaadin.flow.component.orderedlayout.HorizontalLayout row = new com.vaadin.flow.component.orderedlayout.HorizontalLayout(parts);
        row.getStyle().set("flex-wrap", "wrap");
        return row;
    }

    /** Side by side on a wide screen; one above the other on a phone, the first part on top. */
    public static void stack(SplitLayout split, double widePosition) {
        stack(split, widePosition, () -> false);
    }

    /**
     * As {@link #stack(SplitLayout, double)}, and one above the other also while {@code stacked}
     * says so (a part that needs the whole width); the action returned lays the split out again
     * when that changes.
     */
    public static Runnable stack(SplitLayout split, double widePosition, BooleanSupplier stacked) {
        boolean[] narrow = new boolean[1];
        Runnable arrange = () -> {
            boolean vertical = narrow[0] || stacked.getAsBoolean();
            split.setOrientation(vertical ? SplitLayout.Orientation.VERTICAL : SplitLayout.Orientation.HORIZONTAL);
            split.setSplitterPosition(vertical ? 65 : widePosition);
        };
        watch(split, PHONE, n -> {
            narrow[0] = n;
            arrange.run();
        });
        return arrange;
    }
}
