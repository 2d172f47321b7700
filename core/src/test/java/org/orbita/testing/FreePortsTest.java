package org.orbita.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /**
     * A port handed out and bound later must not be one the kernel gives outgoing connections
     * meanwhile (a test's context died on "port in use" when a port from {@code new ServerSocket(0)}
     * was taken by a client socket before Tomcat bound it), nor one handed out before.
     */
    @Test
    void portsAreOutsideTheEphemeralRangeAndNeverHandedOutTwice() throws Exception {
        int low = 32_768;
        int high = 60_999;
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.isReadable(range)) {
            String[] r;
            try (var in = Files.newBufferedReader(range)) { // a /proc file tells no size: read it as a stream
                r = in.readLine().trim().split("\\s+");
            }
            low = Integer.parseInt(r[0]);
            high = Integer.parseInt(r[1]);
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.next();
            assertThat(port).isPositive().isLessThan(65_536);
            assertThat(port < low || port > high).as("%d outside %d–%d", port, low, high).isTrue();
            assertThat(seen.add(port)).as("%d handed out twice", port).isTrue();
        }
    }
}
