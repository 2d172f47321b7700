package org.orbita.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.access.BuiltInRoles;
import org.orbita.access.PasswordPolicy;
import org.orbita.access.Role;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.roles.Roles;
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
    private final CachedDocuments<UserAccount> users;
    private final CachedDocuments<ApiKey> keys;
    private final PasswordEncoder passwords;
    private final Roles roles;
    private final Clock clock;

    public Accounts(SettingsStore settings, PasswordEncoder passwords, Roles roles, Clock clock) {
        this.roles = roles;
        this.workspaces = new Documents<>(settings, "workspaces", Workspace.class, Workspace::id);
        this.users = new CachedDocuments<>(settings, "users", UserAccount.class, UserAccount::id, Duration.ofSeconds(10), clock);
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

    /** Makes a user with a role in each workspace; {@code password} null leaves them to set one from an invitation. */
    public UserAccount createUser(String email, String name, String password, Map<String, String> roles) {
        if (password != null) {
            requirePassword(password);
        }
        if (findUser(email).isPresent()) {
            throw new InvalidInputException("email", email, "a user with this email exists");
        }
        return users.put(new UserAccount(Ids.next(), email.toLowerCase(Locale.ROOT), name,
                password == null ? null : passwords.encode(password), List.copyOf(roles.keySet()), "en", clock.instant(), roles, true, false, null,
                List.of(), password == null ? null : clock.instant(), Map.of()));
    }

    /**
     * Gives a user a new password meeting {@code policy} (its last passwords included: the current
     * one and the history); {@code policy} null only asks for 8 characters (the first start's
     * administrator, whose password the operator configured).
     */
    public UserAccount setPassword(UserAccount user, String password, PasswordPolicy policy) {
        if (policy == null) {
            requirePassword(password);
        } else {
            List<String> last = new ArrayList<>();
            if (user.passwordHash() != null) {
                last.add(user.passwordHash());
            }
            last.addAll(user.previousHashes());
            List<String> recent = last.subList(0, Math.min(policy.history(), last.size()));
            policy.require("password", password, user.email(), p -> recent.stream().anyMatch(h -> passwords.matches(p, h)));
        }
        return users.put(user.withPassword(passwords.encode(password), clock.instant()));
    }

    public boolean passwordMatches(UserAccount user, String password) {
        return user.passwordHash() != null && password != null && passwords.matches(password, user.passwordHash());
    }

    private static void requirePassword(String password) {
        if (password == null || password.length() < 8) {
            throw new InvalidInputException("password", null, "must be at least 8 characters");
        }
    }

    public Optional<UserAccount> user(String id) {
        return users.get(id);
    }

    public List<UserAccount> usersOf(String workspaceId) {
        return users.list().stream().filter(u -> u.workspaceIds().contains(workspaceId)).toList();
    }

    public void deleteUser(String id) {
        users.delete(id);
        keys.list().stream().filter(k -> id.equals(k.ownerId())).forEach(k -> keys.delete(k.id()));
    }

    /**
     * What a user may do in a workspace: their role's permissions; nothing when deactivated or
     * not a member.
     */
    public Set<String> permissionsOf(UserAccount user, String workspaceId) {
        if (!user.active()) {
            return Set.of();
        }
        String role = user.roleIn(workspaceId);
        return role == null ? Set.of() : roles.find(workspaceId, role).map(Role::permissions).orElse(Set.of());
    }

    /**
     * What a key may do: its scopes' permissions within its user's role (the service account's
     * role is the administrator's); nothing once its user is deactivated or it has expired.
     */
    public Set<String> permissionsOf(ApiKey key) {
        if (key.expires() != null && !clock.instant().isBefore(key.expires())) {
            return Set.of();
        }
        Set<String> held = key.ownerId() == null
                ? BuiltInRoles.find(BuiltInRoles.ADMINISTRATOR).orElseThrow().permissions()
                : users.get(key.ownerId()).map(u -> permissionsOf(u, key.workspaceId())).orElse(Set.of());
        Set<String> given = new TreeSet<>();
        key.scopes().forEach(s -> given.addAll(Scope.fromId(s).permissions()));
        given.retainAll(held);
        return given;
    }

    public Optional<UserAccount> findUser(String email) {
        String normalized = email == null ? "" : email.toLowerCase(Locale.ROOT);
        return users.list().stream().filter(u -> u.email().equals(normalized)).findFirst();
    }

    public UserAccount saveUser(UserAccount user) {
        return users.put(user);
    }

    /** Creates a key of the workspace's service account and returns it in full — the only time it is readable. */
    public String createKey(String workspaceId, String name, List<String> scopes) {
        return createKey(workspaceId, name, scopes, null, null);
    }

    /** Creates a key acting for a user ({@code ownerId}; null: the service account) and returns it in full. */
    public String createKey(String workspaceId, String name, List<String> scopes, String ownerId, Instant expires) {
        return createKey(workspaceId, name, scopes, ownerId, expires, List.of());
    }

    /** The same, seeing only {@code groups} of its user's (none named: all of its user's). */
    public String createKey(String workspaceId, String name, List<String> scopes, String ownerId, Instant expires, List<String> groups) {
        String key = newSecretKey();
        store(key, workspaceId, name, scopes, ownerId, expires, groups);
        return key;
    }

    /** The id part of a key's full text ({@code orb_<id>_<secret>}). */
    public static String keyId(String fullKey) {
        Matcher m = KEY.matcher(fullKey);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an API key's shape");
        }
        return m.group(1);
    }

    /** Whether a text has the shape of an API key (orb_&lt;32 hex&gt;_&lt;43 base64url&gt;). */
    public static boolean isWellFormedKey(String fullKey) {
        return fullKey != null && KEY.matcher(fullKey).matches();
    }

    /** Stores a key whose full text was chosen by the operator (ORBITA_ADMIN_API_KEY). */
    public void importKey(String fullKey, String workspaceId, String name, List<String> scopes) {
        if (!KEY.matcher(fullKey).matches()) {
            throw new IllegalArgumentException("orbita.admin.api-key must look like orb_<32 hex>_<43 base64url characters>");
        }
        store(fullKey, workspaceId, name, scopes, null, null, List.of());
    }

    private void store(String fullKey, String workspaceId, String name, List<String> scopes, String ownerId, Instant expires, List<String> groups) {
        scopes.forEach(Scope::fromId);
        Matcher m = KEY.matcher(fullKey);
        if (!m.matches()) {
            throw new IllegalStateException("a key of the wrong shape was made");
        }
        keys.put(new ApiKey(m.group(1), workspaceId, name, sha256(m.group(2)), scopes, clock.instant(), ownerId, expires, null, groups));
    }

    /** Notes that a key was used, to the hour (one write an hour at most). */
    public void used(ApiKey key) {
        Instant now = clock.instant();
        if (key.lastUsed() == null || key.lastUsed().isBefore(now.minus(Duration.ofHours(1)))) {
            keys.put(key.usedAt(now.truncatedTo(ChronoUnit.HOURS)));
        }
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

    /** Whether the user a key acts for is active (a service account's key: always). */
    public boolean ownerActive(ApiKey key) {
        return key.ownerId() == null || users.get(key.ownerId()).map(UserAccount::active).orElse(false);
    }

    /** The user a key acts for; null for the service account's. */
    /**
     * Someone a directory or an identity provider let in: their account, made at their first
     * sign-in (without a password of its own), their role and groups in the workspace set again.
     */
    public UserAccount signedInElsewhere(Directory.Person p) {
        UserAccount user = findUser(p.email()).orElseGet(() -> createUser(p.email(), p.name(), null, Map.of(p.workspaceId(), p.role())));
        UserAccount synced = user.withRole(p.workspaceId(), p.role()).withGroups(p.workspaceId(), p.groups());
        return synced.equals(user) ? user : saveUser(synced);
    }

    public Optional<ApiKey> key(String keyId) {
        return keys.get(keyId);
    }

    public String keyOwner(String keyId) {
        return keys.get(keyId).map(ApiKey::ownerId).orElse(null);
    }

    public List<ApiKey> keys(String workspaceId) {
        return keys.list().stream().filter(k -> k.workspaceId().equals(workspaceId)).toList();
    }

    public static String newSecretKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "orb_" + Ids.next().replace("-", "") + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
