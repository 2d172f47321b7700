package org.orbita.ui;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import org.orbita.audiences.Predicates;

/** "Why is this profile (not) in the segment": each condition, its outcome and the value it looked at. */
public final class ExplainTree extends VerticalLayout {

    public ExplainTree(Predicates.Explained node) {
        setPadding(false);
        setSpacing(false);
        Span line = new Span((node.result() ? "✔ " : "✘ ") + node.condition()
                + (node.actual() == null ? "" : " — " + getTranslation("segments.explain.actual", node.actual())));
        line.getStyle().set("color", node.result() ? "var(--lumo-success-text-color)" : "var(--lumo-error-text-color)");
        line.addClassName(node.result() ? "explain-true" : "explain-false");
        add(line);
        VerticalLayout children = new VerticalLayout();
        children.setPadding(false);
        children.setSpacing(false);
        children.getStyle().set("padding-left", "var(--lumo-space-l)");
        node.children().forEach(c -> children.add(new ExplainTree(c)));
        add(children);
    }
}
