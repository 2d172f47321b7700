package org.orbita.mta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A name server on loopback (UDP) answering from a small zone the test edits: MX and A records,
 * NXDOMAIN for names it does not know, SERVFAIL for names told to fail. Real DNS messages both
 * ways, so the MTA's resolver is exercised as against any server.
 */
final class LoopbackDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Thread server;

    LoopbackDns() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = Thread.ofPlatform().daemon(true).name("loopback-dns").start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    LoopbackDns mx(String domain, int preference, String host) throws IOException {
        Name n = Name.fromString(domain + ".");
        add(n, new MXRecord(n, DClass.IN, 60, preference, Name.fromString(host.endsWith(".") ? host : host + ".")));
        return this;
    }

    LoopbackDns a(String host, String address) throws IOException {
        Name n = Name.fromString(host + ".");
        add(n, new ARecord(n, DClass.IN, 60, InetAddress.getByName(address)));
        return this;
    }

    private void add(Name n, Record r) {
        zone.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>()).add(r);
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message query = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                Record question = query.getQuestion();
                Message answer = new Message(query.getHeader().getID());
                answer.getHeader().setFlag(Flags.QR);
                answer.getHeader().setFlag(Flags.AA);
                answer.addRecord(question, Section.QUESTION);
                String name = question.getName().toString(true).toLowerCase(Locale.ROOT);
                List<Record> records = zone.get(question.getName());
                if (failing.contains(name)) {
                    answer.getHeader().setRcode(Rcode.SERVFAIL);
                } else if (records == null) {
                    answer.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    records.stream().filter(r -> r.getType() == question.getType()).forEach(r -> answer.addRecord(r, Section.ANSWER));
                }
                byte[] wire = answer.toWire();
                socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        server.interrupt();
    }
}
