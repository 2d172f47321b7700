package org.orbita.content;

/**
 * How an SMS text travels (3GPP TS 23.038): GSM-7 when every character is in the default
 * alphabet or its extension table (which costs two septets: {@code ^ { } \ [ ~ ] | €}),
 * otherwise UCS-2. One part holds 160 septets or 70 UTF-16 units; a longer text is split
 * into parts of 153 or 67 (the rest carries the concatenation header).
 *
 * @param encoding     {@code gsm7} or {@code ucs2}
 * @param characters   characters as a reader counts them (code points)
 * @param units        septets (GSM-7) or UTF-16 code units (UCS-2) the text takes
 * @param parts        messages the operator bills
 * @param perPart      capacity of one part at this length (160 / 153 or 70 / 67)
 * @param remaining    units left in the last part
 * @param nonGsm       the first characters that forced UCS-2 (at most 10), for the editor to point at
 */
public record SmsCount(String encoding, int characters, int units, int parts, int perPart, int remaining, String nonGsm) {

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENDED = "\f^{}\\[~]|€";

    /** Counts a text (empty and null count as one empty part). */
    public static SmsCount of(String text) {
        String s = text == null ? "" : text;
        int characters = s.codePointCount(0, s.length());
        int[] septets = new int[characters];
        int[] utf16 = new int[characters];
        StringBuilder offending = new StringBuilder();
        int n = 0;
        for (int i = 0; i < s.length(); n++) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            utf16[n] = Character.charCount(cp);
            if (cp < 0x10000 && BASIC.indexOf(cp) >= 0) {
                septets[n] = 1;
            } else if (cp < 0x10000 && EXTENDED.indexOf(cp) >= 0) {
                septets[n] = 2;
            } else if (offending.codePointCount(0, offending.length()) < 10 && offending.indexOf(Character.toString(cp)) < 0) {
                offending.appendCodePoint(cp);
            }
        }
        if (offending.isEmpty()) {
            return count("gsm7", characters, septets, 160, 153, "");
        }
        return count("ucs2", characters, utf16, 70, 67, offending.toString());
    }

    /** Packs characters into parts; an escape pair or a surrogate pair is never split between parts. */
    private static SmsCount count(String encoding, int characters, int[] widths, int single, int multi, String nonGsm) {
        int units = 0;
        for (int w : widths) {
            units += w;
        }
        if (units <= single) {
            return new SmsCount(encoding, characters, units, 1, single, single - units, nonGsm);
        }
        int parts = 1;
        int used = 0;
        for (int w : widths) {
            if (used + w > multi) {
                parts++;
                used = 0;
            }
            used += w;
        }
        return new SmsCount(encoding, characters, units, parts, multi, multi - used, nonGsm);
    }
}
