package org.orbita.mta.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads CRLF-terminated SMTP lines (a bare LF is taken too) with a bound on their length,
 * through its own buffer: message bodies arrive at tens of megabytes a second, too many bytes
 * for a locked read call each.
 */
final class SmtpLines {

    /** A line longer than the bound: the rest of it has been skipped. */
    static final class TooLong extends IOException {
        TooLong() {
            super("line too long", null);
        }
    }

    private InputStream in;
    private final byte[] line;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;

    SmtpLines(InputStream in, int maxLine) {
        this.in = in;
        this.line = new byte[maxLine];
    }

    /** Reads from another stream from now on (after STARTTLS); anything buffered is dropped, as RFC 3207 requires. */
    void switchTo(InputStream next) {
        in = next;
        pos = 0;
        end = 0;
    }

    /** The next line without its line ending, or null at the end of the stream. */
    String text() throws IOException {
        int n = next();
        return n < 0 ? null : new String(line, 0, n, StandardCharsets.UTF_8);
    }

    /** Reads the next line into {@link #line()}; returns its length without the line ending, or -1 at the end. */
    int next() throws IOException {
        int n = 0;
        boolean tooLong = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return n == 0 && !tooLong ? -1 : n;
                }
            }
            int start = pos;
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int stop = nl < 0 ? end : nl;
            int take = Math.min(stop - start, line.length - n);
            if (take < stop - start) {
                tooLong = true;
            }
            System.arraycopy(buf, start, line, n, Math.max(take, 0));
            n += Math.max(take, 0);
            pos = nl < 0 ? end : nl + 1;
            if (nl >= 0) {
                if (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                if (tooLong) {
                    throw new TooLong();
                }
                return n;
            }
        }
    }

    byte[] line() {
        return line;
    }

    /** Whether more input is already here (pipelined commands): replies can wait to go out together. */
    boolean hasBuffered() throws IOException {
        return pos < end || in.available() > 0;
    }
}
