package org.orbita.mta.delivery;

/** An SMTP reply: the code, the enhanced status code (RFC 3463) when given, and the text. */
public record Reply(int code, String enhanced, String text) {

    public boolean positive() {
        return code / 100 == 2 || code / 100 == 3;
    }

    public boolean permanent() {
        return code / 100 == 5;
    }

    @Override
    public String toString() {
        return code + (enhanced == null ? "" : " " + enhanced) + " " + text;
    }

    /** Parses the last line of a reply ("250 2.1.5 Ok") with the text of all its lines joined. */
    static Reply parse(int code, String text) {
        String t = text.strip();
        String enhanced = null;
        if (t.matches("^[245]\\.\\d{1,3}\\.\\d{1,3}(\\s.*)?$")) {
            int sp = t.indexOf(' ');
            enhanced = sp < 0 ? t : t.substring(0, sp);
            t = sp < 0 ? "" : t.substring(sp + 1);
        }
        return new Reply(code, enhanced, t);
    }
}
