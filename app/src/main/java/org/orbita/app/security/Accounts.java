package org.orbita.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Workspaces, users and API keys. */
@Service
public class Accounts {

    private static final Pattern KEY = Pattern.compile("orb_([0-9a-f]{32})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Documents<Workspace> workspaces;
    private final Documents<UserAccount> users;
    private final CachedDocuments<ApiKey> keys;
    private final PasswordEncoder passwords;
    private final Clock clock;

    public Accounts(SettingsStore settings, PasswordEncoder passwords, Clock clock) {
        this.workspaces = new Documents<>(settings, "workspaces", Workspace.class, Workspace::id);
        this.users = new Documents<>(settings, "users", UserAccount.class, UserAccount::id);
        this.keys = new CachedDocuments<>(settings, "api_keys", ApiKey.class, ApiKey::id, Duration.ofSeconds(10), clock);
        this.passwords = passwords;
        this.clock = clock;
    }

    public Workspace createWorkspace(String id, String name) {
        return workspaces.put(new Workspace(id, name, clock.instant()));
    }

    public Optional<Workspace> workspace(String id) {
        return workspaces.get(id);
    }

    public List<Workspace> workspacesOf(UserAccount user) {
        return user.workspaceIds().stream().map(workspaces::get).flatMap(Optional::stream).toList();
    }

    public boolean anyUser() {
        return !users.list().isEmpty();
    }

    public UserAccount createUser(String email, String name, String password, List<String> workspaceIds) {
        if (password == null || password.length() < 8) {
            throw new InvalidInputException("password", null, "must be at least 8 characters");
        }
        if (findUser(email).isPresent()) {
            throw new InvalidInputException("email", email, "a user with this email exists");
        }
        return users.put(new UserAccount(Ids.next(), email.toLowerCase(Locale.ROOT), name,
                passwords.encode(password), workspaceIds, "en", clock.instant()));
    }

    /** Gives a user a new password (at least 8 characters). */
    public UserAccount setPassword(UserAccount user, String password) {
        if (password == null || password.length() < 8) {
            throw new InvalidInputException("password", null, "must be at least 8 characters");
        }
        return users.put(new UserAccount(user.id(), user.email(), user.name(), passwords.encode(password), user.workspaceIds(),
                user.locale(), user.created()));
    }

    public Optional<UserAccount> findUser(String email) {
        String normalized = email == null ? "" : email.toLowerCase(Locale.ROOT);
        return users.list().stream().filter(u -> u.email().equals(normalized)).findFirst();
    }

    public UserAccount saveUser(UserAccount user) {
        return users.put(user);
    }

    /** Creates a key and returns it in full — the only time it is readable. */
    public String createKey(String workspaceId, String name, List<String> scopes) {
        String key = newSecretKey();
        importKey(key, workspaceId, name, scopes);
        return key;
    }

    /** Whether a text has the shape of an API key (orb_&lt;32 hex&gt;_&lt;43 base64url&gt;). */
    public static boolean isWellFormedKey(String fullKey) {
        return fullKey != null && KEY.matcher(fullKey).matches();
    }

    /** Stores a key whose full text was chosen by the operator (ORBITA_ADMIN_API_KEY). */
    public void importKey(String fullKey, String workspaceId, String name, List<String> scopes) {
        scopes.forEach(Scope::fromId);
        Matcher m = KEY.matcher(fullKey);
        if (!m.matches()) {
            throw new IllegalArgumentException("orbita.admin.api-key must look like orb_<32 hex>_<43 base64url characters>");
        }
        keys.put(new ApiKey(m.group(1), workspaceId, name, sha256(m.group(2)), scopes, clock.instant()));
    }

    /** The key a presented secret belongs to, compared in constant time. */
    public Optional<ApiKey> authenticate(String presented) {
        Matcher m = KEY.matcher(presented == null ? "" : presented);
        if (!m.matches()) {
            return Optional.empty();
        }
        return keys.get(m.group(1)).filter(k -> MessageDigest.isEqual(
                k.secretHash().getBytes(StandardCharsets.US_ASCII), sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII)));
    }

    /** Deletes a key of the workspace; it stops working at once on this node. */
    public void revokeKey(String workspaceId, String keyId) {
        keys.get(keyId).filter(k -> k.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("API key", keyId));
        keys.delete(keyId);
    }

    public List<ApiKey> keys(String workspaceId) {
        return keys.list().stream().filter(k -> k.workspaceId().equals(workspaceId)).toList();
    }

    public static String newSecretKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "orb_" + Ids.next().replace("-", "") + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
