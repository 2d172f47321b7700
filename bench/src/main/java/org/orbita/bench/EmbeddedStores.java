package org.orbita.bench;

import java.nio.file.Path;
import org.orbita.audiences.store.SqliteRecentEvents;
import org.orbita.audiences.store.SqliteSegmentMembers;
import org.orbita.journeys.store.SqliteJourneyLedger;
import org.orbita.profiles.store.SqliteProfiles;
import org.orbita.sending.store.SqliteSendLedger;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

/** Every embedded store over one SQLite file, as the app wires them. */
record EmbeddedStores(SqliteConnections sqlite, SqliteProfiles profiles, SqliteSettings settings, SqliteSegmentMembers members,
                      SqliteRecentEvents recent, SqliteSendLedger ledger, SqliteJourneyLedger journeyLedger) implements AutoCloseable {

    static EmbeddedStores open(Path file) {
        SqliteConnections sqlite = new SqliteConnections(file, false);
        return new EmbeddedStores(sqlite, new SqliteProfiles(sqlite), new SqliteSettings(sqlite), new SqliteSegmentMembers(sqlite),
                new SqliteRecentEvents(sqlite), new SqliteSendLedger(sqlite), new SqliteJourneyLedger(sqlite));
    }

    @Override
    public void close() {
        sqlite.close();
    }
}
