package org.orbita.profiles.imports;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.WriteMode;

/**
 * How to read a file into a database: its format and encoding, the column → target
 * mapping, the matching key and the write mode. A target is a field name, or
 * {@code subscriptions.<channel>} to add an active subscription with the cell as address.
 * An empty mapping maps columns whose names equal a field or a channel target. With
 * {@code sqlImport} set (format {@code sql}) the rows come from that scheduled SQL import.
 */
public record ImportSpec(
        String databaseId,
        String fileName,
        String format,
        String delimiter,
        String encoding,
        Boolean header,
        Map<String, String> mapping,
        String matching,
        String mode,
        String sqlImport) {

    public static final List<String> FORMATS = List.of("csv", "txt", "xlsx", "xls", "sql");
    public static final String SUBSCRIPTION_PREFIX = "subscriptions.";

    /** A file import. */
    public ImportSpec(String databaseId, String fileName, String format, String delimiter, String encoding, Boolean header,
            Map<String, String> mapping, String matching, String mode) {
        this(databaseId, fileName, format, delimiter, encoding, header, mapping, matching, mode, null);
    }

    public ImportSpec {
        mapping = mapping == null ? Map.of() : new LinkedHashMap<>(mapping);
        header = header == null || header;
        mode = mode == null ? "upsert" : mode.toLowerCase(Locale.ROOT);
    }

    /** The format given, or the one the file name says. */
    public String effectiveFormat() {
        if (format != null && !format.isBlank()) {
            return format.toLowerCase(Locale.ROOT);
        }
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "csv" : name.substring(dot + 1);
    }

    public WriteMode writeMode() {
        return WriteMode.fromId(mode);
    }

    public Character delimiterChar() {
        if (delimiter == null || delimiter.isEmpty()) {
            return null;
        }
        return "\\t".equals(delimiter) || "tab".equalsIgnoreCase(delimiter) ? '\t' : delimiter.charAt(0);
    }

    public Charset charset() {
        return encoding == null || encoding.isBlank() || "auto".equalsIgnoreCase(encoding) ? null : Charset.forName(encoding);
    }

    /** Checks what can be checked before the file is read. */
    public void validate() {
        List<FieldError> errors = new ArrayList<>();
        if (!FORMATS.contains(effectiveFormat())) {
            errors.add(FieldError.of("format", effectiveFormat(), "must be one of " + FORMATS));
        }
        if (delimiter != null && delimiter.length() > 1 && delimiterChar() != '\t') {
            errors.add(FieldError.of("delimiter", delimiter, "must be one character (or \\t)"));
        }
        try {
            charset();
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            errors.add(FieldError.of("encoding", encoding, "is not a known encoding (try utf-8, windows-1251, utf-16)"));
        }
        try {
            writeMode();
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of("mode", mode, e.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
