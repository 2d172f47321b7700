package org.orbita.mobile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which profile each app's device belongs to, by the device's push address ({@code fcm:<token>}):
 * how a call made with only the app's token finds its profile, and how a device that moves to
 * another profile (a person signing in) is found on the one it leaves. The profile's push
 * subscription stays the truth of whether it may be sent to; this is the index.
 */
public interface DeviceRegistry {

    /** One device of one app. */
    record Device(String workspaceId, String appId, String address, String databaseId, String profileId, String platform, String appVersion,
                  Instant created, Instant updated) {}

    Optional<Device> find(String workspaceId, String appId, String address);

    /** Keeps a device (its address the key), in one transaction forgetting the address it replaces (null: none). */
    void put(Device device, String replacing);

    /** The devices of one profile, newest first. */
    List<Device> ofProfile(String databaseId, String profileId);

    long count(String workspaceId, String appId);

    /** Forgets an app's devices (the app deleted); returns how many. */
    int forget(String workspaceId, String appId);
}
