package org.orbita.tabular;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cells of the CSV files Orbita writes (exports, error reports), safe to open in a spreadsheet:
 * quoted when they hold a comma, quote or line break, and — as OWASP advises against formula
 * injection — a text starting with {@code = + - @}, a tab or a carriage return gets a leading
 * apostrophe, so no spreadsheet runs it. Plain numbers ({@code -5}, {@code +7.5}) stay numbers.
 */
public final class CsvCells {

    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    private CsvCells() {}

    /** The cell as written: neutralized, then quoted when it needs to be. */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = value;
        char first = v.charAt(0);
        if ((first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') && !NUMBER.matcher(v).matches()) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    /** One line of cells, ended by CRLF. */
    public static void writeLine(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(cell(cells.get(i)));
        }
        w.write("\r\n");
    }
}
