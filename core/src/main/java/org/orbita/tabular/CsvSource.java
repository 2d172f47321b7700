package org.orbita.tabular;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Delimited text (CSV, TXT): RFC 4180 quoting with quoted values spanning lines, any
 * single-character delimiter (detected from the first line when not given), and the
 * encoding detected from a byte-order mark or the bytes (UTF-8, UTF-16, else Windows-1251).
 */
public final class CsvSource implements RowSource {

    /** A single record may not exceed this many characters (protects memory). */
    public static final int MAX_RECORD_CHARS = 1 << 20;
    private static final int SAMPLE = 64 * 1024;
    private static final Charset WINDOWS_1251 = Charset.forName("windows-1251");

    private final Supplier<InputStream> input;
    private final Character delimiter;
    private final Charset charset;

    /**
     * @param input opens the file (called once)
     * @param delimiter null to detect among , ; tab and |
     * @param charset null to detect
     */
    public CsvSource(Supplier<InputStream> input, Character delimiter, Charset charset) {
        this.input = input;
        this.delimiter = delimiter;
        this.charset = charset;
    }

    /** A delimited file on disk (null delimiter or charset: detect). */
    public static CsvSource of(Path file, Character delimiter, Charset charset) {
        return new CsvSource(() -> {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, delimiter, charset);
    }

    @Override
    public void read(RowSink sink) throws IOException {
        try (BufferedInputStream in = new BufferedInputStream(input.get(), SAMPLE * 2)) {
            in.mark(SAMPLE);
            byte[] sample = in.readNBytes(SAMPLE);
            in.reset();
            Detected detected = detectCharset(sample);
            in.skipNBytes(detected.bomLength());
            Charset cs = charset != null ? charset : detected.charset();
            Reader reader = new InputStreamReader(in, cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE));
            char sep = delimiter != null ? delimiter : detectDelimiter(new String(sample, detected.bomLength(),
                    sample.length - detected.bomLength(), cs));
            parse(new BufferedReader(reader, 1 << 16), sep, sink);
        }
    }

    /** The encoding read off the first bytes, and how many of them are a byte-order mark. */
    record Detected(Charset charset, int bomLength) {}

    static Detected detectCharset(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return new Detected(StandardCharsets.UTF_8, 3);
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            return new Detected(StandardCharsets.UTF_16LE, 2);
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return new Detected(StandardCharsets.UTF_16BE, 2);
        }
        int evenZeros = 0;
        int oddZeros = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                if (i % 2 == 0) {
                    evenZeros++;
                } else {
                    oddZeros++;
                }
            }
        }
        // Text in UTF-8 or a one-byte encoding has no NUL bytes; UTF-16 has them on one side.
        if (oddZeros > 0 && evenZeros == 0) {
            return new Detected(StandardCharsets.UTF_16LE, 0);
        }
        if (evenZeros > 0 && oddZeros == 0) {
            return new Detected(StandardCharsets.UTF_16BE, 0);
        }
        return new Detected(isUtf8(b) ? StandardCharsets.UTF_8 : WINDOWS_1251, 0);
    }

    private static boolean isUtf8(byte[] b) {
        int end = b.length;
        // The sample may cut a multi-byte character: ignore an incomplete tail.
        for (int back = 1; back <= 3 && end - back >= 0; back++) {
            int lead = b[end - back] & 0xFF;
            if ((lead & 0xC0) == 0xC0) {
                int need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
                if (need > back) {
                    end -= back;
                }
                break;
            }
            if ((lead & 0x80) == 0) {
                break;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static char detectDelimiter(String sample) {
        char[] candidates = {',', ';', '\t', '|'};
        int[] counts = new int[candidates.length];
        boolean quoted = false;
        for (int i = 0; i < sample.length(); i++) {
            char c = sample.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                for (int k = 0; k < candidates.length; k++) {
                    if (c == candidates[k]) {
                        counts[k]++;
                    }
                }
            }
        }
        int best = 0;
        for (int k = 1; k < candidates.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return candidates[best];
    }

    private static void parse(Reader r, char sep, RowSink sink) throws IOException {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        long line = 1;
        long recordLine = 1;
        int recordChars = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        boolean tooLong = false;
        int c;
        while ((c = r.read()) != -1) {
            if (++recordChars > MAX_RECORD_CHARS && !tooLong) {
                tooLong = true;
                cell.setLength(0);
            }
            if (quoted) {
                if (c == '"') {
                    r.mark(1);
                    int next = r.read();
                    if (next == '"') {
                        append(cell, '"', tooLong);
                    } else {
                        quoted = false;
                        if (next != -1) {
                            r.reset();
                        }
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    append(cell, (char) c, tooLong);
                }
                continue;
            }
            if (c == sep) {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    r.mark(1);
                    if (r.read() != '\n') {
                        r.reset();
                    }
                }
                if (!(cells.isEmpty() && cell.isEmpty() && !wasQuoted)) {
                    cells.add(cell.toString());
                    if (!sink.row(recordLine, cells, tooLong ? "row is longer than " + MAX_RECORD_CHARS + " characters" : null)) {
                        return;
                    }
                }
                cells = new ArrayList<>();
                cell.setLength(0);
                wasQuoted = false;
                tooLong = false;
                recordChars = 0;
                line++;
                recordLine = line;
            } else {
                append(cell, (char) c, tooLong);
            }
        }
        if (quoted) {
            cells.add(cell.toString());
            sink.row(recordLine, cells, "a quoted value is not closed before the end of the file");
        } else if (!(cells.isEmpty() && cell.isEmpty() && !wasQuoted)) {
            cells.add(cell.toString());
            sink.row(recordLine, cells, tooLong ? "row is longer than " + MAX_RECORD_CHARS + " characters" : null);
        }
    }

    private static void append(StringBuilder cell, char c, boolean tooLong) {
        if (!tooLong) {
            cell.append(c);
        }
    }
}
