package org.orbita.ui.segments;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.orbita.audiences.Condition;
import org.orbita.audiences.Segment;
import org.orbita.audiences.SegmentInput;
import org.orbita.audiences.Segments;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;

/** The workspace's segments: size, kind, database; open one to edit it, or make a new one. */
@Route("segments")
@PageTitle("Orbita — segments")
@PermitAll
public class SegmentsView extends VerticalLayout {

    private final Segments segments;
    private final ClientDatabases databases;
    private final CurrentUser user;
    private final Grid<Segment> grid = new Grid<>();

    public SegmentsView(Segments segments, ClientDatabases databases, CurrentUser user) {
        this.segments = segments;
        this.databases = databases;
        this.user = user;
        Button create = new Button(getTranslation("segments.new"), VaadinIcon.PLUS.create(), e -> openCreate());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("new-segment");
        HorizontalLayout header = PageHeader.of(getTranslation("segments.title"), create);
        Map<String, String> dbNames = databases.list(user.workspaceId()).stream().collect(Collectors.toMap(ClientDatabase::id, ClientDatabase::name));
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setId("segments-grid");
        grid.addColumn(Segment::name).setHeader(getTranslation("segments.name")).setFlexGrow(3);
        grid.addColumn(s -> dbNames.getOrDefault(s.databaseId(), s.databaseId())).setHeader(getTranslation("segments.database"));
        grid.addColumn(s -> getTranslation("segments.kind." + s.kind().id())).setHeader(getTranslation("segments.kind"));
        grid.addColumn(s -> segments.count(s.id())).setHeader(getTranslation("segments.count"));
        grid.addColumn(s -> "v" + s.version()).setHeader(getTranslation("segments.version"));
        grid.addColumn(s -> s.recomputed() == null ? "" : ProfileText.instant(s.recomputed(), getLocale()))
                .setHeader(getTranslation("segments.recomputed"));
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(SegmentEditorView.class, new RouteParameters("id", e.getItem().id()))));
        grid.setAllRowsVisible(true);
        Paragraph help = PageHeader.help(getTranslation("segments.help"));
        add(header, help, grid);
        grid.setItems(segments.list(user.workspaceId()));
    }

    private void openCreate() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("segments.new"));
        Select<ClientDatabase> db = new Select<>();
        db.setLabel(getTranslation("segments.database"));
        db.setItems(databases.list(user.workspaceId()));
        db.setItemLabelGenerator(d -> d == null ? "" : d.name());
        databases.list(user.workspaceId()).stream().findFirst().ifPresent(db::setValue);
        TextField name = new TextField(getTranslation("segments.name"));
        name.setId("segment-name");
        name.setWidthFull();
        RadioButtonGroup<Segment.Kind> kind = new RadioButtonGroup<>(getTranslation("segments.kind"));
        kind.setItems(Segment.Kind.values());
        kind.setItemLabelGenerator(k -> getTranslation("segments.kind." + k.id()));
        kind.setValue(Segment.Kind.DYNAMIC);
        Button ok = new Button(getTranslation("segments.create"), e -> {
            try {
                Condition start = kind.getValue() == Segment.Kind.DYNAMIC && db.getValue() != null && !db.getValue().schema().fields().isEmpty()
                        ? new Condition.Group(Condition.Match.ALL, List.of(new Condition.Field(
                                db.getValue().schema().fields().get(0).name(), Condition.Operator.IS_SET, null, null, null)))
                        : null;
                Segment s = segments.create(user.workspaceId(), new SegmentInput(db.getValue() == null ? null : db.getValue().id(),
                        name.getValue(), kind.getValue(), start));
                dialog.close();
                getUI().ifPresent(ui -> ui.navigate(SegmentEditorView.class, new RouteParameters("id", s.id())));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-segment");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        VerticalLayout form = new VerticalLayout(db, name, kind);
        form.setPadding(false);
        dialog.add(form);
        dialog.getFooter().add(new Button(getTranslation("segments.cancel"), e -> dialog.close()), ok);
        dialog.open();
    }
}
