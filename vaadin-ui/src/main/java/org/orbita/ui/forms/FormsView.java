package org.orbita.ui.forms;

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
import java.util.Map;
import org.orbita.forms.Form;
import org.orbita.forms.Forms;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/** The workspace's forms and surveys: whether each is published; a new one starts with an email question. */
@Route("forms")
@PageTitle("Orbita — forms")
@PermitAll
public class FormsView extends VerticalLayout {

    private final Forms forms;
    private final ClientDatabases databases;
    private final CurrentUser user;
    private final Grid<Form> grid = new Grid<>();

    public FormsView(Forms forms, ClientDatabases databases, CurrentUser user) {
        this.forms = forms;
        this.databases = databases;
        this.user = user;
        Button create = new Button(getTranslation("forms.new"), VaadinIcon.PLUS.create(), e -> create());
        create.setId("new-form");
        create.setEnabled(user.may("forms:write"));
        grid.setId("forms-grid");
        grid.addColumn(Form::name).setHeader(getTranslation("forms.name")).setFlexGrow(2);
        grid.addColumn(f -> databases.find(f.database()).map(ClientDatabase::name).orElse(f.database())).setHeader(getTranslation("forms.database"));
        grid.addColumn(f -> f.fields().size()).setHeader(getTranslation("forms.questions")).setAutoWidth(true);
        grid.addColumn(f -> getTranslation(f.published() ? "forms.published" : "forms.draft")).setHeader(getTranslation("forms.state")).setAutoWidth(true);
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate("forms/" + e.getItem().id())));
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("forms.empty"));
        add(PageHeader.of(getTranslation("forms.title"), create), PageHeader.help(getTranslation("forms.help")), grid);
        grid.setItems(forms.list(user.workspaceId()));
    }

    private void create() {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("forms.new"));
        TextField name = new TextField(getTranslation("forms.name"));
        name.setId("form-name");
        Select<ClientDatabase> database = new Select<>();
        database.setId("form-database");
        database.setLabel(getTranslation("forms.database"));
        List<ClientDatabase> all = databases.list(user.workspaceId());
        database.setItems(all);
        database.setItemLabelGenerator(ClientDatabase::name);
        all.stream().findFirst().ifPresent(database::setValue);
        d.add(new FormLayout(name, database));
        Button ok = new Button(getTranslation("forms.create"), e -> {
            try {
                ClientDatabase db = database.getValue();
                String email = db == null ? "email" : db.schema().uniqueFields().stream().filter(f -> f.type() == FieldType.EMAIL)
                        .map(FieldDefinition::name).findFirst().orElse(db.schema().uniqueFields().isEmpty() ? "email"
                                : db.schema().uniqueFields().get(0).name());
                Form f = forms.create(user.workspaceId(), new Forms.FormInput(name.getValue(), db == null ? null : db.id(), email,
                        List.of(new Form.Field("email", "email", Map.of("en", "Email", "ru", "Email"), email, true, null, null, null, null, 1, null, null)),
                        null, null, null, null, false));
                d.close();
                getUI().ifPresent(ui -> ui.navigate("forms/" + f.id()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-form");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(new Button(getTranslation("segments.cancel"), e -> d.close()), ok);
        d.open();
    }
}
