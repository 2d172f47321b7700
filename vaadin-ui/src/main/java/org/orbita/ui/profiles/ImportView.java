package org.orbita.ui.profiles;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.component.upload.UploadI18N;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.UploadHandler;
import com.vaadin.flow.shared.Registration;
import jakarta.annotation.security.PermitAll;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.orbita.jobs.Job;
import org.orbita.jobs.JobReports;
import org.orbita.jobs.JobRunner;
import org.orbita.jobs.Jobs;
import org.orbita.jobs.RowError;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.imports.ImportSpec;
import org.orbita.profiles.imports.ProfileImport;
import org.orbita.tabular.RowSource;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Problems;

/**
 * The import wizard: upload a file or paste rows → map columns with a preview of the first
 * rows → run → watch progress → read the per-row error report.
 */
@Route("databases/:db/import")
@PageTitle("Orbita — import")
@PermitAll
public class ImportView extends VerticalLayout implements BeforeEnterObserver {

    private static final int PREVIEW_ROWS = 5;
    private static final String SKIP = "_skip";

    private final ClientDatabases databases;
    private final ProfileImport imports;
    private final JobRunner runner;
    private final Jobs jobs;
    private final JobReports reports;
    private final CurrentUser user;
    private final VerticalLayout step = new VerticalLayout();
    private final Checkbox header = new Checkbox();
    private final TextField delimiter = new TextField();
    private ClientDatabase db;
    private Path file;
    private String fileName;

    public ImportView(ClientDatabases databases, ProfileImport imports, JobRunner runner, Jobs jobs, JobReports reports,
            CurrentUser user) {
        this.databases = databases;
        this.imports = imports;
        this.runner = runner;
        this.jobs = jobs;
        this.reports = reports;
        this.user = user;
        step.setPadding(false);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        db = DatabaseRoute.resolve(event, databases, user).orElse(null);
        if (db == null) {
            return;
        }
        removeAll();
        add(new H2(getTranslation("import.title", db.name())), step);
        showSource();
    }

    // ---- step 1: the file ------------------------------------------------------------

    private void showSource() {
        step.removeAll();
        header.setLabel(getTranslation("import.header"));
        header.setValue(true);
        delimiter.setLabel(getTranslation("import.delimiter"));
        delimiter.setPlaceholder(getTranslation("import.delimiter.auto"));
        delimiter.setMaxLength(2);
        delimiter.setWidth("9em");

        Upload upload = new Upload(UploadHandler.toTempFile((metadata, tempFile) -> {
            Path kept = Files.createTempFile("orbita-import-", suffix(metadata.fileName()));
            Files.move(tempFile.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
            getUI().ifPresent(ui -> ui.access(() -> useFile(kept, metadata.fileName())));
        }));
        upload.setAcceptedFileTypes(".csv", ".txt", ".xlsx", ".xls", "text/csv", "text/plain");
        upload.setId("import-upload");
        upload.setI18n(org.orbita.ui.UploadTexts.of(this::getTranslation));

        TextArea paste = new TextArea(getTranslation("import.paste"));
        paste.setId("import-paste");
        paste.setWidthFull();
        paste.setMinHeight("12em");
        paste.setPlaceholder("email,first_name\nann@example.com,Ann");
        Button usePaste = new Button(getTranslation("import.usePaste"), e -> {
            try {
                Path tmp = Files.createTempFile("orbita-paste-", ".csv");
                Files.writeString(tmp, paste.getValue(), StandardCharsets.UTF_8);
                useFile(tmp, "pasted.csv");
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        usePaste.setId("import-use-paste");

        TabSheet source = new TabSheet();
        source.setWidthFull();
        source.add(getTranslation("import.upload"), new VerticalLayout(new Paragraph(getTranslation("import.upload.help")), upload));
        source.add(getTranslation("import.pasteTab"), new VerticalLayout(paste, usePaste));
        HorizontalLayout options = new HorizontalLayout(header, delimiter);
        options.setAlignItems(FlexComponent.Alignment.BASELINE);
        step.add(options, source);
    }

    private static String suffix(String name) {
        int dot = name == null ? -1 : name.lastIndexOf('.');
        return dot < 0 ? ".csv" : name.substring(dot).toLowerCase(Locale.ROOT);
    }

    private void useFile(Path path, String name) {
        this.file = path;
        this.fileName = name;
        try {
            showMapping(preview());
        } catch (IOException | RuntimeException e) {
            Problems.show(new IllegalArgumentException(getTranslation("import.unreadable", e.getMessage())));
        }
    }

    private ImportSpec spec(Map<String, String> mapping, String matching, String mode) {
        return new ImportSpec(db.id(), fileName, null, delimiter.getValue().isBlank() ? null : delimiter.getValue(), null,
                header.getValue(), mapping, matching, mode);
    }

    private List<List<String>> preview() throws IOException {
        ImportSpec spec = spec(Map.of(), null, null);
        RowSource source = imports.source(spec, file);
        List<List<String>> rows = new ArrayList<>();
        source.read((line, cells, problem) -> {
            rows.add(cells);
            return rows.size() <= PREVIEW_ROWS;
        });
        if (rows.isEmpty()) {
            throw new IOException(getTranslation("import.empty"));
        }
        return rows;
    }

    // ---- step 2: the mapping ---------------------------------------------------------

    private void showMapping(List<List<String>> rows) {
        step.removeAll();
        List<String> columns = header.getValue() ? rows.get(0) : numbered(rows.get(0).size());
        List<List<String>> data = header.getValue() ? rows.subList(1, rows.size()) : rows;
        List<String> targets = new ArrayList<>();
        targets.add(SKIP);
        db.schema().fields().forEach(f -> targets.add(f.name()));
        for (Channel c : Channel.values()) {
            targets.add(ImportSpec.SUBSCRIPTION_PREFIX + c.id());
        }
        Map<String, Select<String>> selects = new LinkedHashMap<>();
        Grid<List<String>> grid = new Grid<>();
        grid.setId("import-preview");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_COLUMN_BORDERS);
        for (int i = 0; i < columns.size(); i++) {
            int index = i;
            String column = columns.get(i);
            Select<String> target = new Select<>();
            target.setItems(targets);
            target.setItemLabelGenerator(t -> t.equals(SKIP) ? getTranslation("import.skip") : t);
            target.setValue(autoTarget(column, targets));
            target.setWidthFull();
            target.setId("map-" + i);
            selects.put(column, target);
            VerticalLayout head = new VerticalLayout(new Span(column), target);
            head.setPadding(false);
            head.setSpacing(false);
            grid.addColumn(r -> index < r.size() ? r.get(index) : "").setHeader(head).setAutoWidth(true).setResizable(true);
        }
        grid.setItems(data);
        grid.setAllRowsVisible(true);

        Select<String> matching = new Select<>();
        matching.setLabel(getTranslation("import.matching"));
        List<String> keys = new ArrayList<>(db.schema().uniqueFields().stream().map(FieldDefinition::name).toList());
        keys.add(ProfileKey.MERGED_ID);
        matching.setItems(keys);
        matching.setValue(keys.get(0));
        Select<String> mode = new Select<>();
        mode.setLabel(getTranslation("import.mode"));
        mode.setItems("upsert", "insert", "update");
        mode.setItemLabelGenerator(m -> getTranslation("import.mode." + m));
        mode.setValue("upsert");
        Button run = new Button(getTranslation("import.run"), e -> {
            Map<String, String> mapping = new LinkedHashMap<>();
            selects.forEach((column, select) -> mapping.put(column, select.getValue()));
            start(spec(mapping, matching.getValue(), mode.getValue()));
        });
        run.setId("import-run");
        run.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button back = new Button(getTranslation("common.back"), e -> showSource());
        HorizontalLayout settings = new HorizontalLayout(matching, mode);
        settings.getStyle().set("flex-wrap", "wrap");
        step.add(new H3(getTranslation("import.mapping", fileName)), new Paragraph(getTranslation("import.mapping.help")), grid,
                settings, new HorizontalLayout(back, run));
    }

    private static List<String> numbered(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static String autoTarget(String column, List<String> targets) {
        String name = column.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace("-", "");
        if (name.equals("email") || name.equals("e_mail") || name.equals("mail")) {
            name = "email";
        }
        return targets.contains(name) ? name : SKIP;
    }

    // ---- steps 3 and 4: run and result -----------------------------------------------

    private void start(ImportSpec spec) {
        Job job;
        try (InputStream in = Files.newInputStream(file)) {
            job = imports.submit(user.workspaceId(), spec, in);
        } catch (IOException | RuntimeException e) {
            Problems.show(e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e));
            return;
        }
        runner.submit(job);
        step.removeAll();
        ProgressBar bar = new ProgressBar();
        bar.setIndeterminate(true);
        Span status = new Span(getTranslation("import.running"));
        status.setId("import-status");
        step.add(new H3(getTranslation("import.progress")), bar, status);
        UI ui = UI.getCurrent();
        ui.setPollInterval(500);
        String jobId = job.id();
        var registration = new Registration[1];
        registration[0] = ui.addPollListener(e -> {
            Job current = jobs.get(jobId);
            status.setText(getTranslation("import.counts", current.processed(), current.succeeded(), current.failed()));
            if (current.finishedRunning()) {
                ui.setPollInterval(-1);
                registration[0].remove();
                showResult(current);
            }
        });
    }

    private void showResult(Job job) {
        step.removeAll();
        boolean ok = job.status() == Job.Status.SUCCEEDED;
        Span summary = new Span(ok ? getTranslation("import.done", job.processed(), job.result().getOrDefault("created", 0),
                job.result().getOrDefault("updated", 0), job.failed()) : getTranslation("import.failed", job.error()));
        summary.setId("import-result");
        summary.getElement().getThemeList().add(ok ? "badge success" : "badge error");
        step.add(new H3(getTranslation(ok ? "import.finished" : "import.failedTitle")), summary);
        if (job.failed() > 0) {
            Grid<RowError> errors = new Grid<>();
            errors.setId("import-errors");
            errors.addThemeVariants(GridVariant.LUMO_COMPACT);
            errors.addColumn(RowError::row).setHeader(getTranslation("import.row")).setAutoWidth(true);
            errors.addColumn(e -> e.field() == null ? "" : e.field()).setHeader(getTranslation("import.field")).setAutoWidth(true);
            errors.addColumn(e -> e.value() == null ? "" : e.value()).setHeader(getTranslation("import.value")).setAutoWidth(true);
            errors.addColumn(RowError::reason).setHeader(getTranslation("import.reason")).setFlexGrow(1);
            errors.setItems(reports.read(job.id(), 0, 200));
            errors.setAllRowsVisible(true);
            DownloadHandler csv = event -> {
                event.setFileName("errors-" + job.id() + ".csv");
                event.setContentType("text/csv; charset=utf-8");
                Path f = reports.errorsFile(job.id());
                if (Files.exists(f)) {
                    Files.copy(f, event.getOutputStream());
                }
            };
            Anchor download = new Anchor(csv, getTranslation("import.downloadErrors"));
            download.getElement().setAttribute("download", true);
            step.add(errors, download);
        }
        Button profiles = new Button(getTranslation("import.toProfiles"),
                e -> getUI().ifPresent(ui -> ui.navigate(ProfilesView.class, new RouteParameters("db", db.publicId()))));
        Button again = new Button(getTranslation("import.again"), e -> showSource());
        step.add(new HorizontalLayout(profiles, again));
    }
}
