package org.orbita.settings;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Secrets the platform needs whether or not they are configured (the key that signs links,
 * the webhook signing key, VAPID keys): the configured value, else one made at first need and
 * kept in the settings store, so every node and every restart uses the same.
 */
public final class KeptSecrets {

    private final SettingsStore settings;

    public KeptSecrets(SettingsStore settings) {
        this.settings = settings;
    }

    /** The configured secret when given, else the kept one, made by {@code make} the first time. */
    public String get(String name, String configured, Supplier<String> make) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return settings.get("secrets", name).orElseGet(() -> {
            String made = "\"" + make.get() + "\"";
            settings.put("secrets", name, made);
            return made;
        }).replace("\"", "");
    }

    /** {@code bytes} random bytes, Base64. */
    public static String random(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
