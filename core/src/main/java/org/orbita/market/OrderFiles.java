package org.orbita.market;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.tabular.RowSource;

/**
 * Orders from a table (CSV or XLSX) as shops export them: a header row naming the columns, then one row per order line, an
 * order's rows one after another. The order's own columns are read from its first row. Read as a stream: only the batch
 * being gathered is in memory.
 */
public final class OrderFiles {

    /** The columns a file may have; {@code order} (the shop's order id) and {@code product} are required. */
    public static final List<String> COLUMNS = List.of("order", "touchpoint", "database", "profile_id", "matching", "value", "status",
            "custom_status", "currency", "total", "created", "status_at", "product", "sku", "name", "category", "quantity", "price", "amount");

    /** An order read, with the row of its first line (what a person finds in the file). */
    public record Read(int row, Markets.OrderInput order) {}

    private OrderFiles() {}

    /**
     * Reads the orders in batches of at most {@code batch}; an order a row of which cannot be read (a number or time that is
     * not one, a row the file breaks) is refused whole to {@code refused}, named by its first row.
     *
     * @throws InvalidInputException when the header lacks a required column or names one this reader does not know
     */
    public static void read(RowSource rows, int batch, Consumer<List<Read>> batches, Consumer<Markets.Rejected> refused) throws IOException {
        Gathering g = new Gathering(batch, batches, refused);
        rows.read((line, cells, problem) -> {
            if (g.header == null) {
                g.header(cells);
                return true;
            }
            g.row((int) line, cells, problem);
            return true;
        });
        g.finish();
        if (g.header == null) {
            throw new InvalidInputException("file", null, "is empty: a header row naming the columns (" + String.join(", ", COLUMNS) + "), then a row per order line");
        }
    }

    private static final class Gathering {
        private final int batch;
        private final Consumer<List<Read>> batches;
        private final Consumer<Markets.Rejected> refused;
        private List<String> header;
        private List<Read> out = new ArrayList<>();
        private String id;
        private int firstRow;
        private List<String> first;
        private final List<Markets.LineInput> lines = new ArrayList<>();
        private final List<FieldError> errors = new ArrayList<>();

        Gathering(int batch, Consumer<List<Read>> batches, Consumer<Markets.Rejected> refused) {
            this.batch = batch;
            this.batches = batches;
            this.refused = refused;
        }

        void header(List<String> cells) {
            header = cells.stream().map(c -> c == null ? "" : c.strip().toLowerCase(Locale.ROOT).replace(' ', '_')).toList();
            for (String name : header) {
                if (!name.isEmpty() && !COLUMNS.contains(name)) {
                    throw new InvalidInputException("file", name, "an unknown column: the columns are " + String.join(", ", COLUMNS));
                }
            }
            for (String required : List.of("order", "product")) {
                if (!header.contains(required)) {
                    throw new InvalidInputException("file", String.join(",", header), "needs the column '" + required + "' (the columns are "
                            + String.join(", ", COLUMNS) + ")");
                }
            }
        }

        void row(int line, List<String> cells, String problem) {
            String orderId = cell(cells, "order");
            if (problem != null || orderId == null) {
                if (orderId != null && orderId.equals(id)) {
                    errors.add(FieldError.of("row " + line, null, problem));
                } else {
                    refused.accept(new Markets.Rejected(line, orderId, List.of(FieldError.of("row " + line, null,
                            problem != null ? problem : "has no order id (column 'order')"))));
                }
                return;
            }
            if (!orderId.equals(id)) {
                finishOrder();
                id = orderId;
                firstRow = line;
                first = cells;
            }
            String prefix = "row " + line + ".";
            lines.add(new Markets.LineInput(cell(cells, "product"), cell(cells, "sku"), cell(cells, "name"), cell(cells, "category"),
                    number(cells, "quantity", prefix), number(cells, "price", prefix), number(cells, "amount", prefix)));
        }

        private void finishOrder() {
            if (id == null) {
                return;
            }
            String prefix = "row " + firstRow + ".";
            String profileId = cell(first, "profile_id");
            String matching = cell(first, "matching");
            Markets.Customer customer = profileId == null && matching == null ? null : new Markets.Customer(profileId, matching, cell(first, "value"));
            Markets.OrderInput order = new Markets.OrderInput(id, cell(first, "touchpoint"), cell(first, "database"), customer, cell(first, "status"),
                    cell(first, "custom_status"), cell(first, "currency"), number(first, "total", prefix), time(first, "created", prefix),
                    time(first, "status_at", prefix), List.copyOf(lines));
            if (errors.isEmpty()) {
                out.add(new Read(firstRow, order));
                if (out.size() >= batch) {
                    batches.accept(out);
                    out = new ArrayList<>();
                }
            } else {
                refused.accept(new Markets.Rejected(firstRow, id, List.copyOf(errors)));
            }
            id = null;
            lines.clear();
            errors.clear();
        }

        void finish() {
            finishOrder();
            if (!out.isEmpty()) {
                batches.accept(out);
                out = new ArrayList<>();
            }
        }

        private String cell(List<String> cells, String name) {
            int i = header.indexOf(name);
            if (i < 0 || i >= cells.size() || cells.get(i) == null || cells.get(i).isBlank()) {
                return null;
            }
            return cells.get(i).strip();
        }

        private BigDecimal number(List<String> cells, String name, String prefix) {
            String text = cell(cells, name);
            if (text == null) {
                return null;
            }
            String plain = text.replace(" ", "").replace("\u00a0", "");
            if (plain.indexOf(',') >= 0 && plain.indexOf('.') < 0) {
                plain = plain.replace(',', '.'); // a decimal comma, as Russian-language spreadsheets write it
            }
            try {
                return new BigDecimal(plain);
            } catch (NumberFormatException e) {
                errors.add(FieldError.of(prefix + name, text, "a number (1990.50 or 1990,50)"));
                return null;
            }
        }

        private Instant time(List<String> cells, String name, String prefix) {
            String text = cell(cells, name);
            if (text == null) {
                return null;
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notInstant) {
                try {
                    return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notLocal) {
                    try {
                        return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException notDate) {
                        errors.add(FieldError.of(prefix + name, text, "an ISO-8601 time: 2026-11-01T10:00:00Z, 2026-11-01 10:00 (UTC) or 2026-11-01"));
                        return null;
                    }
                }
            }
        }
    }
}
