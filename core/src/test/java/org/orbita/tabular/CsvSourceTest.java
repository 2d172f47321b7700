package org.orbita.tabular;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvSourceTest {

    record Read(long line, List<String> cells, String problem) {}

    static List<Read> read(byte[] bytes, Character delimiter) throws IOException {
        List<Read> rows = new ArrayList<>();
        new CsvSource(() -> new ByteArrayInputStream(bytes), delimiter, null).read((line, cells, problem) -> {
            rows.add(new Read(line, cells, problem));
            return true;
        });
        return rows;
    }

    @Test
    void readsQuotedValuesWithDelimitersQuotesAndLineBreaks() throws IOException {
        String csv = "email,note\r\na@x.io,\"one, \"\"two\"\"\nthree\"\r\n\r\nb@x.io,plain\n";
        List<Read> rows = read(csv.getBytes(StandardCharsets.UTF_8), null);
        assertThat(rows).containsExactly(
                new Read(1, List.of("email", "note"), null),
                new Read(2, List.of("a@x.io", "one, \"two\"\nthree"), null),
                new Read(5, List.of("b@x.io", "plain"), null));
    }

    @Test
    void detectsTheDelimiterFromTheHeader() throws IOException {
        assertThat(read("a;b;c\n1;2;3".getBytes(StandardCharsets.UTF_8), null).get(1).cells()).containsExactly("1", "2", "3");
        assertThat(read("a\tb\n1,5\t2".getBytes(StandardCharsets.UTF_8), null).get(1).cells()).containsExactly("1,5", "2");
    }

    @Test
    void detectsEncodings() throws IOException {
        String text = "имя,город\nАнна,Москва\n";
        byte[] bom8 = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text.getBytes(StandardCharsets.UTF_8));
        byte[] bom16 = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
        byte[] cp1251 = text.getBytes(Charset.forName("windows-1251"));
        byte[] plain16 = text.getBytes(StandardCharsets.UTF_16LE);
        for (byte[] bytes : List.of(bom8, bom16, cp1251, plain16, text.getBytes(StandardCharsets.UTF_8))) {
            List<Read> rows = read(bytes, null);
            assertThat(rows.get(0).cells()).containsExactly("имя", "город");
            assertThat(rows.get(1).cells()).containsExactly("Анна", "Москва");
        }
    }

    @Test
    void reportsAQuoteLeftOpenAtTheEnd() throws IOException {
        List<Read> rows = read("a,b\n1,\"never closed\n2,3\n".getBytes(StandardCharsets.UTF_8), null);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).line()).isEqualTo(2);
        assertThat(rows.get(1).problem()).contains("not closed");
    }

    @Test
    void stopsWhenTheSinkSaysSo() throws IOException {
        List<Long> lines = new ArrayList<>();
        new CsvSource(() -> new ByteArrayInputStream("a\n1\n2\n3\n".getBytes(StandardCharsets.UTF_8)), null, null)
                .read((line, cells, problem) -> {
                    lines.add(line);
                    return line < 2;
                });
        assertThat(lines).containsExactly(1L, 2L);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
