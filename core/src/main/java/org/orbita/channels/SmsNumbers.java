package org.orbita.channels;

import java.util.regex.Pattern;

/** The number check every SMS provider makes before it calls anyone. */
final class SmsNumbers {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private SmsNumbers() {}

    /** The sender a message names ({@code sender} in its payload), else the provider's own (may be null). */
    static String sender(java.util.Map<String, Object> payload, String fallback) {
        Object sender = payload.get("sender");
        return sender == null || String.valueOf(sender).isBlank() ? fallback : String.valueOf(sender);
    }

    /** Null when the number is E.164, else the refusal (the address itself is unusable). */
    static ChannelProvider.Result.Failed refusal(String phone) {
        return phone != null && E164.matcher(phone).matches() ? null
                : new ChannelProvider.Result.Failed("'" + phone + "' is not an E.164 number (+ and 7 to 15 digits)", true);
    }
}
