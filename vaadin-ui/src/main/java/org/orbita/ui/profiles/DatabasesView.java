package org.orbita.ui.profiles;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.server.streams.DownloadHandler;
import jakarta.annotation.security.PermitAll;
import java.util.Locale;
import org.orbita.jobs.JobRunner;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileCopy;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.exports.ProfileExport;
import org.orbita.tabular.TableExport;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.jobs.JobsView;

/** The workspace's client databases: open, import, export, edit the schema, create. */
@Route("databases")
@PageTitle("Orbita — databases")
@PermitAll
public class DatabasesView extends VerticalLayout {

    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ProfileExport export;
    private final CurrentUser user;
    private final ProfileCopy copies;
    private final JobRunner runner;
    private final Grid<ClientDatabase> grid = new Grid<>();

    public DatabasesView(ClientDatabases databases, ProfileStore profiles, ProfileExport export, ProfileCopy copies,
            JobRunner runner, CurrentUser user) {
        this.copies = copies;
        this.runner = runner;
        this.databases = databases;
        this.profiles = profiles;
        this.export = export;
        this.user = user;
        Button create = new Button(getTranslation("databases.new"), VaadinIcon.PLUS.create(), e -> openCreateDialog());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout header = PageHeader.of(getTranslation("databases.title"), create);

        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(ClientDatabase::name).setHeader(getTranslation("databases.name")).setFlexGrow(2);
        grid.addColumn(ClientDatabase::publicId).setHeader(getTranslation("databases.id"));
        grid.addColumn(d -> profiles.count(d.id())).setHeader(getTranslation("databases.profiles"));
        grid.addColumn(d -> d.schema().fields().size()).setHeader(getTranslation("databases.fields"));
        grid.addComponentColumn(this::actions).setHeader("").setFlexGrow(4).setWidth("min(28em, 60vw)").setFrozenToEnd(true);
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(ProfilesView.class, new RouteParameters("db", e.getItem().publicId()))));
        grid.setAllRowsVisible(true);
        add(header, grid);
        refresh();
    }

    private HorizontalLayout actions(ClientDatabase d) {
        Button open = new Button(getTranslation("databases.open"), e -> getUI().ifPresent(ui -> ui.navigate(ProfilesView.class, new RouteParameters("db", d.publicId()))));
        Button schema = new Button(getTranslation("databases.schema"), e -> getUI().ifPresent(ui -> ui.navigate(SchemaView.class, new RouteParameters("db", d.publicId()))));
        Button importButton = new Button(getTranslation("databases.import"),
                e -> getUI().ifPresent(ui -> ui.navigate(ImportView.class, new RouteParameters("db", d.publicId()))));
        importButton.setId("import-" + d.id());
        Button copy = new Button(getTranslation("databases.copy"), e -> openCopyDialog(d));
        HorizontalLayout row = new HorizontalLayout(open, schema, importButton, copy, download(d, "csv"), download(d, "xlsx"));
        row.getChildren().filter(c -> c instanceof Button).forEach(c -> ((Button) c).addThemeVariants(ButtonVariant.LUMO_SMALL));
        row.setSpacing(true);
        row.getStyle().set("flex-wrap", "wrap");
        return row;
    }

    private Anchor download(ClientDatabase d, String format) {
        DownloadHandler handler = event -> {
            export.allowDatabase(d, format); // the role's export permission, before a byte is sent
            event.setFileName(d.publicId() + "." + format);
            event.setContentType(TableExport.mediaType(format));
            export.write(d, format, event.getOutputStream());
        };
        Anchor a = new Anchor(handler, getTranslation("databases.export", format.toUpperCase()));
        a.getElement().setAttribute("download", true);
        return a;
    }

    private void refresh() {
        grid.setItems(databases.list(user.workspaceId()));
    }

    private void openCopyDialog(ClientDatabase source) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("databases.copy.title", source.name()));
        Select<ClientDatabase> target = new Select<>();
        target.setLabel(getTranslation("databases.copy.target"));
        target.setItems(databases.list(user.workspaceId()).stream().filter(d -> !d.id().equals(source.id())).toList());
        target.setItemLabelGenerator(ClientDatabase::name);
        Select<String> mode = new Select<>();
        mode.setLabel(getTranslation("import.mode"));
        mode.setItems("upsert", "insert", "update");
        mode.setItemLabelGenerator(m -> getTranslation("import.mode." + m));
        mode.setValue("upsert");
        Paragraph help = new Paragraph(getTranslation("databases.copy.help"));
        Button start = new Button(getTranslation("databases.copy.start"), e -> {
            try {
                if (target.getValue() == null) {
                    throw new IllegalArgumentException(getTranslation("databases.copy.target"));
                }
                runner.submit(copies.submit(user.workspaceId(),
                        new ProfileCopy.Spec(source.id(), target.getValue().id(), null, null, mode.getValue())));
                dialog.close();
                Problems.success(getTranslation("databases.copy.started"));
                getUI().ifPresent(ui -> ui.navigate(JobsView.class));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new FormLayout(target, mode), help);
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), start);
        dialog.open();
    }

    private void openCreateDialog() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("databases.new"));
        TextField name = new TextField(getTranslation("databases.name"));
        TextField id = new TextField(getTranslation("databases.id"));
        id.setHelperText(getTranslation("databases.id.help"));
        boolean[] idEdited = {false};
        id.addValueChangeListener(e -> idEdited[0] |= e.isFromClient());
        name.addValueChangeListener(e -> {
            if (!idEdited[0]) {
                id.setValue(e.getValue().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", ""));
            }
        });
        Button save = new Button(getTranslation("common.create"), e -> {
            try {
                databases.create(user.workspaceId(), id.getValue(), name.getValue(), null);
                dialog.close();
                refresh();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new FormLayout(name, id));
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), save);
        dialog.open();
    }
}
