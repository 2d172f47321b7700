package org.orbita.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A DNS that rebinds, for tests: a name under {@code .rebind.test} resolves to a public
 * address (192.0.2.10) at its first lookup and to loopback at every later one, as an
 * attacker's name server would answer a check and then the connection. Every other name
 * goes to the JDK's own resolver. Installed for the test JVM through META-INF/services.
 */
public final class RebindingResolver extends InetAddressResolverProvider {

    private static final ConcurrentHashMap<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (!host.endsWith(".rebind.test")) {
                    return builtin.lookupByName(host, policy);
                }
                int n = LOOKUPS.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
                byte[] address = n == 0 ? new byte[] {(byte) 192, 0, 2, 10} : new byte[] {127, 0, 0, 1};
                return Stream.of(InetAddress.getByAddress(host, address));
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "orbita-test-rebinding";
    }
}
