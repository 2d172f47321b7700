package org.orbita.retargeting;

import java.util.Collection;
import java.util.List;

/**
 * What each audience sync last put on its platform: per profile the hashed identifiers sent (so a
 * profile that leaves, or whose email changes, is removed by what the platform holds). No raw
 * identifier is kept.
 */
public interface SyncedMembers {

    /** One profile as the platform has it. */
    record Synced(String profileId, String email, String phone) {}

    /** The sync's members after {@code afterProfile} (null: from the first), by profile id. */
    List<Synced> page(String syncId, String afterProfile, int limit);

    void put(String syncId, Collection<Synced> members);

    void delete(String syncId, Collection<String> profileIds);

    long count(String syncId);

    void forget(String syncId);
}
