package org.orbita.ui.profiles;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.orbita.access.Access;
import org.orbita.access.Resource;
import org.orbita.groups.Groups;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.GroupsSlot;
import org.orbita.ui.Problems;

/** The schema editor: fields with type, required, unique, default and enum values. */
@Route("databases/:db/schema")
@PageTitle("Orbita — schema")
@PermitAll
public class SchemaView extends VerticalLayout implements BeforeEnterObserver {

    private final GroupsSlot groupsSlot;

    private final ClientDatabases databases;
    private final CurrentUser user;
    private final VerticalLayout rows = new VerticalLayout();
    private final List<FieldRow> fieldRows = new ArrayList<>();
    private final H2 title = new H2();
    private ClientDatabase db;

    public SchemaView(ClientDatabases databases, CurrentUser user, Groups groups, Access access) {
        this.groupsSlot = new GroupsSlot(groups, access, user);
        this.databases = databases;
        this.user = user;
        rows.setPadding(false);
        Button add = new Button(getTranslation("schema.addField"), VaadinIcon.PLUS.create(), e -> addRow(null));
        Button save = new Button(getTranslation("common.save"), e -> save());
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setId("save-schema");
        add(title, groupsSlot, new Paragraph(getTranslation("schema.help")), rows, new HorizontalLayout(add, save));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        db = DatabaseRoute.resolve(event, databases, user).orElse(null);
        if (db == null) {
            return;
        }
        title.setText(getTranslation("schema.title", db.name()));
        groupsSlot.show(Resource.DATABASES, db.id());
        rows.removeAll();
        fieldRows.clear();
        db.schema().fields().forEach(this::addRow);
    }

    private void addRow(FieldDefinition f) {
        FieldRow row = new FieldRow(f);
        fieldRows.add(row);
        rows.add(row.layout);
    }

    private void save() {
        try {
            List<FieldDefinition> fields = fieldRows.stream().filter(r -> r.layout.isAttached()).map(FieldRow::definition).toList();
            db = databases.changeSchema(db.id(), new DatabaseSchema(fields));
            Problems.success(getTranslation("schema.saved"));
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    /** One editable field. */
    private final class FieldRow {
        final TextField name = new TextField(getTranslation("schema.name"));
        final Select<FieldType> type = new Select<>();
        final Checkbox required = new Checkbox(getTranslation("schema.required"));
        final Checkbox unique = new Checkbox(getTranslation("schema.unique"));
        final TextField defaultValue = new TextField(getTranslation("schema.default"));
        final TextField values = new TextField(getTranslation("schema.values"));
        final TextField label = new TextField(getTranslation("schema.label"));
        final FlexLayout layout;

        FieldRow(FieldDefinition f) {
            type.setLabel(getTranslation("schema.type"));
            type.setItems(Arrays.asList(FieldType.values()));
            type.setItemLabelGenerator(t -> getTranslation("type." + t.id()));
            type.setValue(f == null ? FieldType.STRING : f.type());
            if (f != null) {
                name.setValue(f.name());
                required.setValue(f.required());
                unique.setValue(f.unique());
                defaultValue.setValue(f.defaultValue() == null ? "" : String.valueOf(f.defaultValue()));
                values.setValue(String.join(", ", f.values()));
                label.setValue(f.label() == null ? "" : f.label());
            }
            values.setVisible(type.getValue() == FieldType.ENUM);
            type.addValueChangeListener(e -> values.setVisible(e.getValue() == FieldType.ENUM));
            Button remove = new Button(VaadinIcon.TRASH.create());
            remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
            remove.setAriaLabel(getTranslation("schema.remove"));
            layout = new FlexLayout(name, type, label, defaultValue, values, required, unique, remove);
            layout.setFlexWrap(FlexLayout.FlexWrap.WRAP);
            layout.setAlignItems(FlexComponent.Alignment.BASELINE);
            layout.getStyle().set("gap", "var(--lumo-space-s)");
            remove.addClickListener(e -> rows.remove(layout));
        }

        FieldDefinition definition() {
            List<String> enumValues = type.getValue() == FieldType.ENUM
                    ? Arrays.stream(values.getValue().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()
                    : List.of();
            return new FieldDefinition(name.getValue().strip(), type.getValue(), label.getValue().isBlank() ? null : label.getValue(),
                    required.getValue(), unique.getValue(), defaultValue.getValue().isBlank() ? null : defaultValue.getValue(),
                    enumValues);
        }
    }
}
