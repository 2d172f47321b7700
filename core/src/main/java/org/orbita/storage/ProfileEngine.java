package org.orbita.storage;

import org.orbita.profiles.ProfileStore;
import org.orbita.settings.SettingsStore;

/** One engine that holds both profiles and settings (SQLite embedded, MongoDB in production). */
public interface ProfileEngine extends ProfileStore, SettingsStore, org.orbita.profiles.SegmentMembers,
        org.orbita.events.RecentEvents, org.orbita.campaigns.SendLedger, org.orbita.journeys.JourneyLedger, AutoCloseable {

    @Override
    void close();
}
