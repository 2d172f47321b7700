package org.orbita.mobile.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.orbita.mobile.DeviceRegistry;
import org.orbita.mobile.DeviceRegistry.Device;

/** What the device registry does on every engine it runs on. */
public abstract class DeviceRegistryContract {

    protected abstract DeviceRegistry registry();

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    private static Device device(String app, String address, String profile, Instant at) {
        return new Device("ws", app, address, "db", profile, "android", "1.0", at, at);
    }

    @Test
    void aDeviceIsKeptByItsAddressMovesBetweenProfilesAndReplacesTheTokenItRefreshes() {
        DeviceRegistry r = registry();
        r.put(device("app", "fcm:a", "p1", T), null);
        r.put(device("app", "fcm:b", "p1", T.plusSeconds(10)), null);
        r.put(device("other", "fcm:a", "p9", T), null);
        assertThat(r.find("ws", "app", "fcm:a")).get().extracting(Device::profileId).isEqualTo("p1");
        assertThat(r.ofProfile("db", "p1")).extracting(Device::address).containsExactly("fcm:b", "fcm:a");
        // moved to another profile, same row
        r.put(new Device("ws", "app", "fcm:a", "db", "p2", "ios", "2.0", T, T.plusSeconds(20)), null);
        assertThat(r.find("ws", "app", "fcm:a")).get().satisfies(d -> {
            assertThat(d.profileId()).isEqualTo("p2");
            assertThat(d.platform()).isEqualTo("ios");
            assertThat(d.created()).isEqualTo(T);
        });
        assertThat(r.count("ws", "app")).isEqualTo(2);
        // a refreshed token takes the old one's place in one step
        r.put(device("app", "fcm:c", "p1", T.plusSeconds(30)), "fcm:b");
        assertThat(r.find("ws", "app", "fcm:b")).isEmpty();
        assertThat(r.ofProfile("db", "p1")).extracting(Device::address).containsExactly("fcm:c");
        assertThat(r.forget("ws", "app")).isEqualTo(2);
        assertThat(r.count("ws", "app")).isZero();
        assertThat(r.count("ws", "other")).isEqualTo(1);
    }
}
