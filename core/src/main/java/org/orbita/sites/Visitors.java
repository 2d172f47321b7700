package org.orbita.sites;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who a website's visitors are: the link from a browser's visitor id to the profile it was
 * identified as (a <em>merge</em>: the visitor's anonymous history joins the profile's), every
 * one kept with how and when it was made and, once reversed, when — and the conflicts refused:
 * a visitor already linked to one profile claimed by another is never moved silently.
 */
public interface Visitors {

    /** A visitor joined to a profile; {@code how}: {@code identify}, {@code message} (a tracked link) or {@code api}. */
    record Merge(String id, String databaseId, String visitorId, String profileId, String siteId, String how, Instant at,
                 Instant reversedAt) {}

    /** A visitor linked to {@code linkedProfile} that something claimed to be {@code claimedProfile}. */
    record Conflict(String id, String databaseId, String visitorId, String siteId, String linkedProfile, String claimedProfile,
                    String how, Instant at) {}

    /** The profile a visitor is linked to now. */
    Optional<Merge> linkOf(String databaseId, String visitorId);

    /** Links a visitor unless it is linked already (to anyone): true when this merge was stored. */
    boolean link(Merge merge);

    /** The visitors linked to a profile now. */
    List<Merge> linksOf(String databaseId, String profileId);

    /** A database's merges, newest first, reversed ones too. */
    List<Merge> merges(String databaseId, int limit);

    Optional<Merge> merge(String databaseId, String mergeId);

    /** Reverses a merge in force: the visitor is anonymous again; empty when there is none or it was reversed before. */
    Optional<Merge> reverse(String databaseId, String mergeId, Instant at);

    void conflict(Conflict conflict);

    /** A database's conflicts, newest first. */
    List<Conflict> conflicts(String databaseId, int limit);

    /** Forgets a deleted database's visitors. */
    void deleteDatabase(String databaseId);
}
