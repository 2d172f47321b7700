package org.orbita.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;

/** The top of a list page: its title with actions on the right, and a line of help under it. */
public final class PageHeader {

    private PageHeader() {}

    public static HorizontalLayout of(String title, Component... actions) {
        HorizontalLayout header = new HorizontalLayout(new H2(title));
        header.add(actions);
        header.setWidthFull();
        header.getStyle().set("flex-wrap", "wrap"); // on a phone the actions go under the title, not off the screen
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.expand(header.getComponentAt(0));
        return header;
    }

    public static Paragraph help(String text) {
        Paragraph help = new Paragraph(text);
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        return help;
    }
}
