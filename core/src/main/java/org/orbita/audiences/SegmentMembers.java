package org.orbita.audiences;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which profiles belong to which segments (dynamic ones as last evaluated, static ones as listed). */
public interface SegmentMembers {

    /** The events a change of membership is recorded as (properties: {@code segment}, {@code name}). */
    String ENTERED = "segment.entered";
    String LEFT = "segment.left";

    /** One membership to add ({@code member} true) or remove. */
    record MembershipChange(String segmentId, String profileId, boolean member) {}

    /**
     * Applies the changes in one transaction.
     *
     * @return the changes that took effect (adding an existing member or removing a non-member does nothing)
     */
    List<MembershipChange> applyMemberships(String databaseId, List<MembershipChange> changes);

    /** The segments a profile belongs to. */
    Set<String> segmentsOf(String databaseId, String profileId);

    /** Memberships of the profiles with ids from {@code fromId} to {@code toId} (inclusive): profile id → segment ids. */
    Map<String, Set<String>> segmentsOfRange(String databaseId, String fromId, String toId);

    long countMembers(String segmentId);

    /** Member profile ids after {@code afterProfileId} (null: from the start), in id order. */
    List<String> members(String segmentId, String afterProfileId, int limit);

    /** Removes every membership of segments (a deleted segment, a fresh recompute). */
    void deleteMembers(Collection<String> segmentIds);

    /** Forgets every membership of a deleted database. */
    void deleteDatabase(String databaseId);
}
