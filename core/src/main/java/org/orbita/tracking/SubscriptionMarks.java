package org.orbita.tracking;

import java.util.List;
import java.util.Optional;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.Subscription;
import org.orbita.profiles.WriteMode;

/**
 * What the outside world says of a profile's addresses, written to its subscriptions: an
 * unsubscribe link, a hard bounce, a spam complaint, a blocked bot or a STOP reply. Only active
 * subscriptions change; the profile write records the change in its history as any write does.
 */
public final class SubscriptionMarks {

    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ProfileWriting writing;

    public SubscriptionMarks(ClientDatabases databases, ProfileStore profiles, ProfileWriting writing) {
        this.databases = databases;
        this.profiles = profiles;
        this.writing = writing;
    }

    /**
     * Sets the status of a profile's active subscriptions in a channel — those of {@code address}
     * (any case), or all of the channel when it is null. Returns how many changed (none when the
     * profile or its database is gone).
     */
    public int mark(String databaseId, String profileId, Channel channel, String address, Subscription.Status status) {
        Optional<ClientDatabase> db = databases.find(databaseId);
        Optional<Profile> p = db.flatMap(d -> profiles.find(d.id(), profileId));
        if (p.isEmpty()) {
            return 0;
        }
        List<ProfileChange.SubscriptionInput> changed = p.get().subscriptions().stream()
                .filter(s -> s.channel() == channel && s.status() == Subscription.Status.ACTIVE)
                .filter(s -> address == null || s.address().equalsIgnoreCase(address))
                .map(s -> new ProfileChange.SubscriptionInput(channel.id(), s.address(), s.resource(), status.id()))
                .toList();
        if (!changed.isEmpty()) {
            writing.write(db.get(), new ProfileChange("id", profileId, null, changed, null, null), WriteMode.UPDATE, ProfileSource.MESSAGE);
        }
        return changed.size();
    }
}
