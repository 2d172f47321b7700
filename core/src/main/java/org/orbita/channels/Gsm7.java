package org.orbita.channels;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The GSM 03.38 default alphabet, one septet per byte (unpacked, as SMPP's {@code data_coding 0}
 * carries it), with the extension table behind the escape {@code 0x1B}. Texts it cannot hold go
 * as UCS-2.
 */
final class Gsm7 {

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENDED_CHARS = "\f^{}\\[~]|€";
    private static final byte[] EXTENDED_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};

    private Gsm7() {}

    /** The text's septets, or null when a character is in neither table. */
    static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int basic = c == '\u001B' ? -1 : BASIC.indexOf(c);
            if (basic >= 0) {
                out.write(basic);
                continue;
            }
            int ext = EXTENDED_CHARS.indexOf(c);
            if (ext < 0) {
                return null;
            }
            out.write(0x1B);
            out.write(EXTENDED_CODES[ext]);
        }
        return out.toByteArray();
    }

    static String decode(byte[] septets) {
        StringBuilder out = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int b = septets[i] & 0x7F;
            if (b == 0x1B && i + 1 < septets.length) {
                byte next = septets[++i];
                for (int k = 0; k < EXTENDED_CODES.length; k++) {
                    if (EXTENDED_CODES[k] == next) {
                        out.append(EXTENDED_CHARS.charAt(k));
                    }
                }
            } else {
                out.append(BASIC.charAt(b));
            }
        }
        return out.toString();
    }

    /** GSM septets cut into parts of at most {@code size}, never between an escape and its character. */
    static List<byte[]> split(byte[] septets, int size) {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        while (from < septets.length) {
            int to = Math.min(from + size, septets.length);
            if (to < septets.length && septets[to - 1] == 0x1B) {
                to--;
            }
            parts.add(Arrays.copyOfRange(septets, from, to));
            from = to;
        }
        return parts;
    }
}
