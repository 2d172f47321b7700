package org.orbita.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for servers a test starts later (Tomcat's second connector, a broker, a fake SMSC). A port
 * from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, where any outgoing
 * connection made before the server binds may take it ("port in use" at context start), so these
 * come from 20000–32767, below Linux's default range, each handed out once per JVM and checked
 * free when handed out. Separate JVMs start at different places (by process id).
 */
public final class FreePorts {
    static final int LOW = 20_000;
    static final int HIGH = 32_767;
    private static final AtomicInteger NEXT = new AtomicInteger(LOW + (int) (ProcessHandle.current().pid() * 97 % (HIGH - LOW)));

    private FreePorts() {}

    public static int next() {
        for (int tried = 0; tried <= HIGH - LOW; tried++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement() - LOW, HIGH - LOW + 1);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException inUse) {
                // taken by something else: the next one
            }
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + HIGH);
    }
}
