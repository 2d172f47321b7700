package org.orbita.sites;

import org.orbita.common.Signer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A click from a tracked message, carried onto the site: when the link leads to a page of a site
 * tracking the recipient's database, the redirect adds {@link #PARAMETER} — the database and
 * profile, signed, good for {@link #LIFETIME} — which the snippet hands back as an
 * identification and then removes from the address bar. A token that does not check, or is
 * past its time, identifies nobody.
 */
public final class SiteLinks {

    public static final String PARAMETER = "_orb";
    public static final Duration LIFETIME = Duration.ofHours(1);
    private static final String PURPOSE = "site-link";

    /** Who a token names. */
    public record Claim(String databaseId, String profileId) {}

    private final Sites sites;
    private final Signer signer;
    private final Clock clock;

    public SiteLinks(Sites sites, Signer signer, Clock clock) {
        this.sites = sites;
        this.signer = signer;
        this.clock = clock;
    }

    /** The address a click leads to, with the recipient's token when a site of the workspace tracks it for that database. */
    public String decorate(String workspaceId, String databaseId, String profileId, String url) {
        if (workspaceId == null || databaseId == null || profileId == null || url == null) {
            return url;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return url;
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || sites.list(workspaceId).stream().noneMatch(s -> s.database().equals(databaseId) && s.allows(host))) {
            return url;
        }
        String token = token(databaseId, profileId);
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        return base + (base.contains("?") ? "&" : "?") + PARAMETER + "=" + token + fragment;
    }

    String token(String databaseId, String profileId) {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString((databaseId + '\n' + profileId + '\n' + expires)
                .getBytes(StandardCharsets.UTF_8));
        return body + "." + signer.sign(PURPOSE, body);
    }

    /** Who a token names, when its signature checks and its time has not passed. */
    public Optional<Claim> verify(String token) {
        if (token == null || token.length() > 600) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String body = token.substring(0, dot);
        if (!signer.checks(PURPOSE, body, token.substring(dot + 1))) {
            return Optional.empty();
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8).split("\n");
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (parts.length != 3 || !parts[2].matches("[0-9]{1,12}") || Long.parseLong(parts[2]) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(new Claim(parts[0], parts[1]));
    }
}
