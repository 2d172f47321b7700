package org.orbita.ui.promo;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import org.orbita.promo.PromoPools;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/** The workspace's promo code pools: kind, codes by state, validity, low ones marked. */
@Route("promo")
@PageTitle("Orbita — promo codes")
@PermitAll
public class PromoPoolsView extends VerticalLayout {

    private final PromoPools promo;
    private final CurrentUser user;

    public PromoPoolsView(PromoPools promo, CurrentUser user) {
        this.promo = promo;
        this.user = user;
        Button create = new Button(getTranslation("promo.new"), VaadinIcon.PLUS.create(), e -> create());
        create.setId("new-pool");
        create.setEnabled(user.may("promo:write"));
        Grid<PromoPools.View> grid = new Grid<>();
        grid.setId("pools-grid");
        grid.addColumn(PromoPools.View::name).setHeader(getTranslation("promo.name")).setFlexGrow(2);
        grid.addColumn(p -> getTranslation("promo.kind." + p.kind())).setHeader(getTranslation("promo.kind")).setAutoWidth(true);
        grid.addColumn(p -> p.kind().equals("universal") ? p.code() : String.valueOf(p.counts().get("available")))
                .setHeader(getTranslation("promo.available")).setAutoWidth(true);
        grid.addColumn(p -> String.valueOf(p.counts().get("issued") + p.counts().get("redeemed"))).setHeader(getTranslation("promo.issued"))
                .setAutoWidth(true);
        grid.addColumn(p -> String.valueOf(p.counts().get("redeemed"))).setHeader(getTranslation("promo.redeemed")).setAutoWidth(true);
        grid.addColumn(p -> p.low() ? getTranslation("promo.low") : "").setHeader("").setAutoWidth(true);
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate("promo/" + e.getItem().id())));
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("promo.empty"));
        add(PageHeader.of(getTranslation("promo.title"), create), PageHeader.help(getTranslation("promo.help")), grid);
        grid.setItems(promo.list(user.workspaceId()));
    }

    private void create() {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("promo.new"));
        TextField id = new TextField(getTranslation("promo.id"));
        id.setId("pool-id");
        id.setHelperText(getTranslation("promo.idHelp"));
        TextField name = new TextField(getTranslation("promo.name"));
        name.setId("pool-name");
        Select<String> kind = new Select<>();
        kind.setId("pool-kind");
        kind.setLabel(getTranslation("promo.kind"));
        kind.setItems(List.of("personal", "universal"));
        kind.setItemLabelGenerator(k -> getTranslation("promo.kind." + k));
        kind.setValue("personal");
        TextField pattern = new TextField(getTranslation("promo.pattern"));
        pattern.setId("pool-pattern");
        pattern.setHelperText(getTranslation("promo.patternHelp"));
        pattern.setPlaceholder(getTranslation("promo.patternExample"));
        TextField code = new TextField(getTranslation("promo.code"));
        code.setId("pool-code");
        code.setVisible(false);
        kind.addValueChangeListener(e -> {
            boolean universal = "universal".equals(e.getValue());
            code.setVisible(universal);
            pattern.setVisible(!universal);
        });
        d.add(new FormLayout(id, name, kind, pattern, code));
        Button ok = new Button(getTranslation("forms.create"), e -> {
            try {
                boolean universal = "universal".equals(kind.getValue());
                String p = pattern.getValue().isBlank() || universal ? null : pattern.getValue();
                PromoPools.View made = promo.create(user.workspaceId(), new PromoPools.PoolInput(id.getValue(), name.getValue().isBlank() ? null
                        : name.getValue(), kind.getValue(), universal ? code.getValue() : null, p, p == null ? null : true, null, null, null, null, null,
                        null));
                d.close();
                getUI().ifPresent(ui -> ui.navigate("promo/" + made.id()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-pool");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(new Button(getTranslation("segments.cancel"), e -> d.close()), ok);
        d.open();
    }
}
