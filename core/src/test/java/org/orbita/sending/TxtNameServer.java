package org.orbita.sending;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A name server on loopback answering TXT questions from a map (RFC 1035 over UDP): a record
 * longer than 255 bytes is split into several character-strings as publishers do; a name not
 * in the map answers NXDOMAIN; a name in {@link #refused} answers REFUSED.
 */
final class TxtNameServer implements AutoCloseable {

    final Map<String, List<String>> records = new ConcurrentHashMap<>();
    final java.util.Set<String> refused = ConcurrentHashMap.newKeySet();
    private final DatagramSocket socket;
    private final Thread thread;

    TxtNameServer() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = Thread.ofPlatform().daemon().start(this::serve);
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
                byte[] reply = answer(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private byte[] answer(byte[] q) {
        int i = 12;
        StringBuilder name = new StringBuilder();
        while (q[i] != 0) {
            int len = q[i] & 0xff;
            name.append(name.isEmpty() ? "" : ".").append(new String(q, i + 1, len, StandardCharsets.US_ASCII));
            i += len + 1;
        }
        int questionEnd = i + 5;
        int qtype = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
        String n = name.toString().toLowerCase(Locale.ROOT);
        List<String> txt = records.get(n);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        int rcode = refused.contains(n) ? 5 : txt == null ? 3 : 0;
        out.write(0x84 | (q[2] & 0x01)); // a response, authoritative, RD copied
        out.write(rcode);
        int answers = rcode == 0 && qtype == 16 ? txt.size() : 0;
        out.writeBytes(new byte[] {0, 1, 0, (byte) answers, 0, 0, 0, 0});
        out.write(q, 12, questionEnd - 12);
        for (int a = 0; a < answers; a++) {
            byte[] value = txt.get(a).getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream rdata = new ByteArrayOutputStream();
            for (int from = 0; from < value.length || from == 0; from += 255) {
                int len = Math.min(255, value.length - from);
                rdata.write(len);
                rdata.write(value, from, len);
                if (value.length == 0) {
                    break;
                }
            }
            out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60});
            out.write(rdata.size() >> 8);
            out.write(rdata.size());
            out.writeBytes(rdata.toByteArray());
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        socket.close();
        thread.interrupt();
    }
}
