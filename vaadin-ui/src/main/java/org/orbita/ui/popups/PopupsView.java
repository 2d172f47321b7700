package org.orbita.ui.popups;

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
import org.orbita.popups.Popup;
import org.orbita.popups.PopupTemplates;
import org.orbita.popups.Popups;
import org.orbita.sites.Site;
import org.orbita.sites.Sites;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/** The workspace's pop-ups: their site, kind and state; a new one starts from a ready template. */
@Route("popups")
@PageTitle("Orbita — pop-ups")
@PermitAll
public class PopupsView extends VerticalLayout {

    private final Popups popups;
    private final Sites sites;
    private final CurrentUser user;

    public PopupsView(Popups popups, Sites sites, CurrentUser user) {
        this.popups = popups;
        this.sites = sites;
        this.user = user;
        Button create = new Button(getTranslation("popups.new"), VaadinIcon.PLUS.create(), e -> create());
        create.setId("new-popup");
        create.setEnabled(user.may("forms:write"));
        Grid<Popup> grid = new Grid<>();
        grid.setId("popups-grid");
        grid.addColumn(Popup::name).setHeader(getTranslation("popups.name")).setFlexGrow(2);
        grid.addColumn(p -> sites.published(p.site()).map(Site::name).orElse(p.site())).setHeader(getTranslation("popups.site"));
        grid.addColumn(p -> getTranslation("popups.kind." + p.kind())).setHeader(getTranslation("popups.kind")).setAutoWidth(true);
        grid.addColumn(p -> p.variants().size() > 1 ? "A/B × " + p.variants().size() : "—").setHeader(getTranslation("popups.variants"))
                .setAutoWidth(true);
        grid.addColumn(p -> getTranslation(p.published() ? "forms.published" : "forms.draft")).setHeader(getTranslation("forms.state")).setAutoWidth(true);
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate("popups/" + e.getItem().id())));
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("popups.empty"));
        add(PageHeader.of(getTranslation("popups.title"), create), PageHeader.help(getTranslation("popups.help")), grid);
        grid.setItems(popups.list(user.workspaceId()));
    }

    private void create() {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("popups.new"));
        Select<Site> site = new Select<>();
        site.setId("popup-site");
        site.setLabel(getTranslation("popups.site"));
        List<Site> all = sites.list(user.workspaceId());
        site.setItems(all);
        site.setItemLabelGenerator(Site::name);
        all.stream().findFirst().ifPresent(site::setValue);
        Select<PopupTemplates.Template> template = new Select<>();
        template.setId("popup-template");
        template.setLabel(getTranslation("popups.template"));
        template.setItems(PopupTemplates.all());
        String lang = getLocale() != null && getLocale().getLanguage().equals("ru") ? "ru" : "en";
        template.setItemLabelGenerator(t -> t.name().get(lang) + " · " + getTranslation("popups.kind." + t.kind()));
        template.setValue(PopupTemplates.all().get(0));
        TextField name = new TextField(getTranslation("popups.name"));
        name.setId("popup-name");
        template.addValueChangeListener(e -> name.setPlaceholder(e.getValue() == null ? "" : e.getValue().name().get(lang)));
        name.setPlaceholder(template.getValue().name().get(lang));
        d.add(new FormLayout(site, template, name));
        Button ok = new Button(getTranslation("forms.create"), e -> {
            try {
                Popup p = popups.create(user.workspaceId(), new Popups.PopupInput(name.getValue().isBlank() ? template.getValue().name().get(lang)
                        : name.getValue(), site.getValue() == null ? null : site.getValue().id(), template.getValue().id(), null, null, null, null, null,
                        false));
                d.close();
                getUI().ifPresent(ui -> ui.navigate("popups/" + p.id()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-popup");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(new Button(getTranslation("segments.cancel"), e -> d.close()), ok);
        d.open();
    }
}
