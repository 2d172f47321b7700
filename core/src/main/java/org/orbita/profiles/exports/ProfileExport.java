package org.orbita.profiles.exports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.tabular.CsvCells;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.Subscription;

/**
 * Writes every profile of a database to CSV (UTF-8 with BOM, so spreadsheet programs read
 * it right) or XLSX, page by page: memory stays flat however large the database.
 */
public final class ProfileExport {

    public static final List<String> FORMATS = List.of("csv", "xlsx");
    /** XLSX holds at most this many rows per sheet (the header included). */
    private static final int XLSX_MAX_ROWS = 1_048_576;

    private final ProfileStore store;

    public ProfileExport(ProfileStore store) {
        this.store = store;
    }

    public static String checkFormat(String format) {
        String f = format == null ? "csv" : format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(f)) {
            throw new InvalidInputException("format", format, "must be one of " + FORMATS);
        }
        return f;
    }

    /** The column names of an export of this database. */
    public static List<String> columns(ClientDatabase db) {
        List<String> columns = new ArrayList<>(List.of("id"));
        db.schema().fields().forEach(f -> columns.add(f.name()));
        columns.addAll(List.of("subscriptions", "status", "created", "updated"));
        return columns;
    }

    static List<String> cells(ClientDatabase db, Profile p) {
        List<String> cells = new ArrayList<>();
        cells.add(p.id());
        for (FieldDefinition f : db.schema().fields()) {
            Object v = p.field(f.name());
            cells.add(v == null ? "" : v instanceof String s ? s
                    : v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)
                            ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
                            : v instanceof Number || v instanceof Boolean ? String.valueOf(v) : Json.write(v));
        }
        cells.add(p.subscriptions().stream().map(ProfileExport::subscription).collect(Collectors.joining(";")));
        cells.add(p.status().id());
        cells.add(p.created().toString());
        cells.add(p.updated().toString());
        return cells;
    }

    private static String subscription(Subscription s) {
        return s.channel().id() + ":" + s.address() + (s.resource().equals(Subscription.DEFAULT_RESOURCE) ? "" : "@" + s.resource())
                + (s.status() == Subscription.Status.ACTIVE ? "" : "(" + s.status().id() + ")");
    }

    /** Writes the export of a whole database; returns the number of profiles written. */
    public long write(ClientDatabase db, String format, OutputStream out) throws IOException {
        return write(db, format, out, action -> store.forEach(db.id(), action));
    }

    /**
     * Writes the export of the profiles a source hands over one by one (a segment's members,
     * say); returns the number written.
     */
    public long write(ClientDatabase db, String format, OutputStream out, Source source) throws IOException {
        return "xlsx".equals(checkFormat(format)) ? writeXlsx(db, out, source) : writeCsv(db, out, source);
    }

    /** Hands profiles to an action, one at a time, in a stable order. */
    @FunctionalInterface
    public interface Source {
        void forEach(Consumer<Profile> action);
    }

    private long writeCsv(ClientDatabase db, OutputStream out, Source source) throws IOException {
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write('\uFEFF');
        CsvCells.writeLine(w, columns(db));
        long[] n = {0};
        forEachPage(source, p -> {
            CsvCells.writeLine(w, cells(db, p));
            n[0]++;
        });
        w.flush();
        return n[0];
    }

    private long writeXlsx(ClientDatabase db, OutputStream out, Source source) throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200)) {
            workbook.setCompressTempFiles(true);
            Sheet sheet = workbook.createSheet(safeSheetName(db.name()));
            writeRow(sheet, 0, columns(db));
            long[] n = {0};
            forEachPage(source, p -> {
                if (n[0] + 1 >= XLSX_MAX_ROWS) {
                    throw new IOException("an XLSX sheet holds at most " + (XLSX_MAX_ROWS - 1) + " profiles; export as CSV");
                }
                writeRow(sheet, (int) ++n[0], cells(db, p));
            });
            workbook.write(out);
            workbook.dispose();
            return n[0];
        }
    }

    private static String safeSheetName(String name) {
        String cleaned = name.replaceAll("[\\\\/?*\\[\\]:]", " ").strip();
        return cleaned.isEmpty() ? "profiles" : cleaned.substring(0, Math.min(31, cleaned.length()));
    }

    private static void writeRow(Sheet sheet, int index, List<String> cells) {
        Row row = sheet.createRow(index);
        for (int i = 0; i < cells.size(); i++) {
            row.createCell(i).setCellValue(cells.get(i));
        }
    }

    @FunctionalInterface
    private interface ProfileAction {
        void accept(Profile p) throws IOException;
    }

    private static void forEachPage(Source source, ProfileAction action) throws IOException {
        try {
            source.forEach(p -> {
                try {
                    action.accept(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
