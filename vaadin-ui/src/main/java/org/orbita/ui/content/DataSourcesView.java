package org.orbita.ui.content;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.Map;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.content.DataSource;
import org.orbita.content.ExternalData;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/** Outside data templates read with {@code {% fetch 'name' as var %}}: HTTP JSON endpoints and SQL queries. */
@Route("data-sources")
@PageTitle("Orbita — data sources")
@PermitAll
public class DataSourcesView extends VerticalLayout {

    private final ExternalData external;
    private final CurrentUser user;
    private final Grid<DataSource> grid = new Grid<>();

    public DataSourcesView(ExternalData external, CurrentUser user) {
        this.external = external;
        this.user = user;
        Button create = new Button(getTranslation("sources.new"), VaadinIcon.PLUS.create(), e -> edit(null));
        create.setId("new-source");
        HorizontalLayout header = PageHeader.of(getTranslation("sources.title"), create);
        Paragraph help = PageHeader.help(getTranslation("sources.help"));
        grid.setId("sources-grid");
        grid.addColumn(DataSource::name).setHeader(getTranslation("snippets.name"));
        grid.addColumn(DataSource::kind).setHeader(getTranslation("sources.kind"));
        grid.addColumn(DataSource::url).setHeader(getTranslation("sources.url")).setFlexGrow(3);
        grid.addColumn(s -> s.timeoutMs() + " ms / " + s.cacheSeconds() + " s").setHeader(getTranslation("sources.limits"));
        grid.addItemClickListener(e -> edit(e.getItem()));
        grid.setAllRowsVisible(true);
        add(header, help, grid);
        reload();
    }

    private void reload() {
        grid.setItems(external.list(user.workspaceId()).stream().map(DataSource::withoutSecrets).toList());
    }

    private void edit(DataSource s) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(s == null ? getTranslation("sources.new") : s.name());
        TextField name = new TextField(getTranslation("snippets.name"));
        name.setValue(s == null ? "" : s.name());
        name.setReadOnly(s != null);
        Select<String> kind = new Select<>();
        kind.setLabel(getTranslation("sources.kind"));
        kind.setItems("http", "sql");
        kind.setValue(s == null ? "http" : s.kind());
        TextField url = new TextField(getTranslation("sources.url"));
        url.setValue(s == null ? "" : s.url());
        url.setHelperText(getTranslation("sources.urlHelp"));
        TextArea headers = new TextArea(getTranslation("messages.webhook.headers"));
        headers.setValue(HeaderLines.format(s == null ? null : s.headers()));
        TextField userName = new TextField(getTranslation("sources.user"));
        userName.setValue(s == null || s.user() == null ? "" : s.user());
        PasswordField password = new PasswordField(getTranslation("sources.password"));
        password.setValue(s == null || s.password() == null ? "" : s.password());
        TextArea query = new TextArea(getTranslation("sources.query"));
        query.setValue(s == null || s.query() == null ? "" : s.query());
        query.setHelperText(getTranslation("sources.queryHelp"));
        IntegerField timeout = new IntegerField(getTranslation("sources.timeout"));
        timeout.setValue(s == null ? ExternalData.DEFAULT_TIMEOUT_MS : s.timeoutMs());
        IntegerField cache = new IntegerField(getTranslation("sources.cache"));
        cache.setValue(s == null ? ExternalData.DEFAULT_CACHE_SECONDS : s.cacheSeconds());
        TextArea fallback = new TextArea(getTranslation("sources.fallback"));
        fallback.setValue(s == null || s.fallback() == null ? "" : Json.write(s.fallback()));
        Runnable showKind = () -> {
            boolean http = "http".equals(kind.getValue());
            headers.setVisible(http);
            userName.setVisible(!http);
            password.setVisible(!http);
            query.setVisible(!http);
        };
        kind.addValueChangeListener(e -> showKind.run());
        showKind.run();
        FormLayout form = new FormLayout(name, kind, url, headers, userName, password, query, timeout, cache, fallback);
        form.setColspan(url, 2);
        form.setColspan(query, 2);
        form.setColspan(headers, 2);
        form.setColspan(fallback, 2);
        dialog.add(form);
        Button save = new Button(getTranslation("messages.save"), e -> {
            try {
                Map<String, String> hs = HeaderLines.parse(headers.getValue());
                Object fb = null;
                if (!fallback.getValue().isBlank()) {
                    try {
                        fb = Json.read(fallback.getValue(), Object.class);
                    } catch (RuntimeException ex) {
                        throw new InvalidInputException("fallback", fallback.getValue(), getTranslation("messages.preview.badJson"));
                    }
                }
                external.save(user.workspaceId(), name.getValue(), new DataSource(null, null, kind.getValue(), url.getValue(),
                        hs.isEmpty() ? null : hs, userName.getValue().isBlank() ? null : userName.getValue(),
                        password.getValue().isBlank() ? null : password.getValue(), query.getValue(), timeout.getValue(), cache.getValue(), fb, null));
                dialog.close();
                reload();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button delete = new Button(getTranslation("messages.delete"), e -> {
            external.delete(user.workspaceId(), name.getValue());
            dialog.close();
            reload();
        });
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        delete.setVisible(s != null);
        dialog.getFooter().add(delete, new Button(getTranslation("segments.cancel"), e -> dialog.close()), save);
        dialog.setWidth("min(100%, 720px)");
        dialog.open();
    }
}
