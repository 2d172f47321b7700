package org.orbita.bench;

import java.nio.file.Path;
import org.orbita.audiences.store.SqliteRecentEvents;
import org.orbita.audiences.store.SqliteSegmentMembers;
import org.orbita.journeys.store.SqliteJourneyLedger;
import org.orbita.profiles.store.SqliteProfiles;
import org.orbita.sending.store.SqliteSendLedger;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

/** Every embedded store over one SQLite file, as the app wires them (the recent behaviour in a file of its own beside it). */
record EmbeddedStores(SqliteConnections sqlite, SqliteProfiles profiles, SqliteSettings settings, SqliteSegmentMembers members,
                      SqliteRecentEvents recent, SqliteSendLedger ledger, SqliteJourneyLedger journeyLedger) implements AutoCloseable {

    static EmbeddedStores open(Path file) {
        SqliteConnections sqlite = new SqliteConnections(file, false);
        return new EmbeddedStores(sqlite, new SqliteProfiles(sqlite), new SqliteSettings(sqlite), new SqliteSegmentMembers(sqlite),
                SqliteRecentEvents.inFile(file.resolveSibling("recent.db"), false), new SqliteSendLedger(sqlite), new SqliteJourneyLedger(sqlite));
    }

    /** Profiles saved in one transaction, each keyed by its email (the benches' unique field). */
    void saveByEmail(java.util.List<org.orbita.profiles.Profile> batch) {
        profiles.inTransaction(() -> {
            batch.forEach(p -> profiles.save(p, java.util.Set.of(new org.orbita.profiles.ProfileKey("email", (String) p.field("email"))),
                    java.util.Set.of()));
            return null;
        });
    }

    /** The same, then every one of them made a member of a segment. */
    void saveInSegment(String databaseId, java.util.List<org.orbita.profiles.Profile> batch, String segment) {
        saveByEmail(batch);
        members.applyMemberships(databaseId, batch.stream().map(p -> new org.orbita.audiences.SegmentMembers.MembershipChange(segment, p.id(), true))
                .toList());
    }

    @Override
    public void close() {
        recent.close();
        sqlite.close();
    }
}
