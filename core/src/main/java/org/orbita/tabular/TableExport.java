package org.orbita.tabular;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.orbita.common.InvalidInputException;

/**
 * Writes a table to CSV (UTF-8 with BOM, so spreadsheet programs read it right) or XLSX, row by
 * row as a source hands them over: memory stays flat however many rows there are.
 */
public final class TableExport {

    public static final List<String> FORMATS = List.of("csv", "xlsx");
    /** XLSX holds at most this many rows per sheet (the header included). */
    private static final int XLSX_MAX_ROWS = 1_048_576;

    private TableExport() {}

    /** The format asked for, checked: {@code csv} or {@code xlsx}. */
    public static String checkFormat(String format) {
        String f = format == null ? "csv" : format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(f)) {
            throw new InvalidInputException("format", format, "must be one of " + FORMATS);
        }
        return f;
    }

    public static String mediaType(String format) {
        return "xlsx".equals(format) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
    }

    /** Takes the rows of a table, one at a time. */
    @FunctionalInterface
    public interface Rows {
        void add(List<String> cells) throws IOException;
    }

    /** Hands a table's rows to {@code rows}, in order. */
    @FunctionalInterface
    public interface Source {
        void write(Rows rows) throws IOException;
    }

    /** Writes the header and every row the source gives; returns the number of rows (the header not counted). */
    public static long write(String format, String sheetName, List<String> header, OutputStream out, Source source) throws IOException {
        return "xlsx".equals(checkFormat(format)) ? writeXlsx(sheetName, header, out, source) : writeCsv(header, out, source);
    }

    private static long writeCsv(List<String> header, OutputStream out, Source source) throws IOException {
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write('\uFEFF');
        CsvCells.writeLine(w, header);
        long[] n = {0};
        source.write(cells -> {
            CsvCells.writeLine(w, cells);
            n[0]++;
        });
        w.flush();
        return n[0];
    }

    private static long writeXlsx(String sheetName, List<String> header, OutputStream out, Source source) throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200)) {
            workbook.setCompressTempFiles(true);
            Sheet sheet = workbook.createSheet(safeSheetName(sheetName));
            writeRow(sheet, 0, header);
            long[] n = {0};
            source.write(cells -> {
                if (n[0] + 1 >= XLSX_MAX_ROWS) {
                    throw new IOException("an XLSX sheet holds at most " + (XLSX_MAX_ROWS - 1) + " rows; export as CSV");
                }
                writeRow(sheet, (int) ++n[0], cells);
            });
            workbook.write(out);
            workbook.dispose();
            return n[0];
        }
    }

    private static String safeSheetName(String name) {
        String cleaned = name == null ? "" : name.replaceAll("[\\\\/?*\\[\\]:]", " ").strip();
        return cleaned.isEmpty() ? "rows" : cleaned.substring(0, Math.min(31, cleaned.length()));
    }

    private static void writeRow(Sheet sheet, int index, List<String> cells) {
        Row row = sheet.createRow(index);
        for (int i = 0; i < cells.size(); i++) {
            row.createCell(i).setCellValue(cells.get(i));
        }
    }

    /** Runs a callback-style source whose callback cannot throw, unwrapping the {@link IOException} it carried out. */
    public static void unchecked(Runnable source) throws IOException {
        try {
            source.run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Adds a row from inside a callback that cannot throw. */
    public static void add(Rows rows, List<String> cells) {
        try {
            rows.add(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
