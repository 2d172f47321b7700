package org.orbita.ui.sending;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import org.orbita.sending.MtaNodes;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/** Each MTA node's queues by receiving site (pause, resume, retry now, purge) and its suppression list. */
@Route("mail-queues")
@PageTitle("Orbita — mail queues")
@PermitAll
public class MailQueuesView extends VerticalLayout {

    private final MtaNodes nodes;

    public MailQueuesView(MtaNodes nodes) {
        this.nodes = nodes;
        Button refresh = new Button(getTranslation("mta.refresh"), VaadinIcon.REFRESH.create(), e -> build());
        refresh.setId("mta-refresh");
        add(PageHeader.of(getTranslation("mta.title"), refresh), PageHeader.help(getTranslation("mta.help")));
        build();
    }

    private void build() {
        getChildren().skip(2).toList().forEach(this::remove);
        if (nodes.nodes().isEmpty()) {
            Paragraph none = new Paragraph(getTranslation("mta.none"));
            none.setId("mta-none");
            add(none);
            return;
        }
        for (MtaNodes.Node node : nodes.nodes()) {
            add(new H3(node.name()));
            try {
                add(queues(node), suppressions(node));
            } catch (IllegalStateException e) {
                Span down = new Span(e.getMessage());
                down.getStyle().set("color", "var(--lumo-error-text-color)");
                add(down);
            }
        }
    }

    private Grid<MtaNodes.Queue> queues(MtaNodes.Node node) {
        Grid<MtaNodes.Queue> grid = new Grid<>();
        grid.setId("mta-queues");
        grid.addColumn(MtaNodes.Queue::site).setHeader(getTranslation("mta.site")).setFlexGrow(3);
        grid.addColumn(MtaNodes.Queue::ready).setHeader(getTranslation("mta.ready"));
        grid.addColumn(MtaNodes.Queue::deferred).setHeader(getTranslation("mta.deferred"));
        grid.addColumn(q -> q.connections() + " / " + q.maxConnections()).setHeader(getTranslation("mta.connections"));
        grid.addColumn(q -> q.oldest() == null ? "" : q.oldest()).setHeader(getTranslation("mta.oldest")).setFlexGrow(2);
        grid.addColumn(q -> q.paused() ? getTranslation("mta.paused") : q.suspendedUntil() != null
                ? getTranslation("mta.suspended", q.suspendedUntil()) : getTranslation("mta.sending")).setHeader(getTranslation("mta.state"));
        grid.addComponentColumn(q -> {
            HorizontalLayout actions = new HorizontalLayout();
            for (String action : List.of(q.paused() ? "resume" : "pause", "retry", "purge")) {
                Button b = new Button(getTranslation("mta.action." + action), e -> {
                    try {
                        nodes.act(node, q.site(), action);
                        build();
                    } catch (RuntimeException ex) {
                        Problems.show(ex);
                    }
                });
                b.addThemeVariants(ButtonVariant.LUMO_SMALL, action.equals("purge") ? ButtonVariant.LUMO_ERROR : ButtonVariant.LUMO_TERTIARY);
                b.setId("mta-" + action);
                actions.add(b);
            }
            return actions;
        }).setHeader("").setAutoWidth(true).setFlexGrow(0).setFrozenToEnd(true);
        grid.setItems(nodes.queues(node));
        grid.setAllRowsVisible(true);
        return grid;
    }

    private VerticalLayout suppressions(MtaNodes.Node node) {
        TextField address = new TextField();
        address.setPlaceholder(getTranslation("mta.address"));
        address.setId("mta-suppress-address");
        Button add = new Button(getTranslation("mta.suppress"), e -> {
            try {
                nodes.suppress(node, address.getValue());
                build();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        add.setId("mta-suppress");
        Grid<MtaNodes.Suppression> grid = new Grid<>();
        grid.setId("mta-suppressions");
        grid.addColumn(MtaNodes.Suppression::address).setHeader(getTranslation("mta.address")).setFlexGrow(2);
        grid.addColumn(MtaNodes.Suppression::reason).setHeader(getTranslation("mta.reason"));
        grid.addColumn(MtaNodes.Suppression::since).setHeader(getTranslation("mta.since"));
        grid.addComponentColumn(s -> new Button(getTranslation("mta.unsuppress"), e -> {
            nodes.unsuppress(node, s.address());
            build();
        })).setHeader("").setFrozenToEnd(true);
        grid.setItems(nodes.suppressions(node));
        grid.setAllRowsVisible(true);
        VerticalLayout v = new VerticalLayout(new Span(getTranslation("mta.suppressions")), new HorizontalLayout(address, add), grid);
        v.setPadding(false);
        return v;
    }
}
