package org.orbita.mta.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * The durable queue of accepted mail: an append-only log in numbered segment files. An
 * accepted message is one record (envelope and body); each recipient's final outcome is a
 * small "done" record. One writer thread takes every pending record, writes them together and
 * forces them to disk once (group commit), then completes their futures — an injection
 * answers 250 only after that. A crash loses nothing acknowledged: at start the segments are
 * read back (bodies skipped over), records cut short by the crash are dropped, and every
 * recipient without a "done" record is queued again. A recipient delivered just before a
 * crash whose "done" record had not reached the disk is delivered twice: duplicates are
 * bounded to the deliveries in flight.
 *
 * <p>Segments are deleted oldest first, once every recipient of every message in them is done
 * (done records always lie in the same or a later segment than their message, so recovery
 * never sees a done record's message missing while the message still matters).
 *
 * <p>Longer than the ~400 lines we aim for: the spool's file format, group commit and crash
 * recovery must be read together to see that they agree.
 */
public final class Spool implements Closeable {

    private static final int MAGIC = 0x4F525350; // "ORSP"
    private static final byte MESSAGE = 1;
    private static final byte DONE = 2;
    private static final int HEADER = 4 + 1 + 4; // magic, type, payload length
    public static final int MAX_BODY = 64 * 1024 * 1024;

    private final Path dir;
    private final long segmentBytes;
    private final long minFree;
    private final FileStore store;
    private volatile long freeCheckedAt;
    private volatile long freeBytes;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong sequence = new AtomicLong();
    /** Per segment: recipients not yet done; a segment at zero below the current one can go. */
    private final TreeMap<Long, long[]> liveBySegment = new TreeMap<>();
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Map<Long, FileChannel> readers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private FileChannel current;
    private long currentSegment;
    private long position;

    /** A message not wholly done: which of its recipients are. */
    private record Live(SpooledMessage message, BitSet done) {}

    private record Pending(byte type, byte[] payload, CompletableFuture<Long[]> written) {}

    /** What a restart found: the messages with recipients still to deliver, and which are done. */
    public record Recovered(SpooledMessage message, List<Integer> pendingRecipients) {}

    private final List<Recovered> recovered = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    /** The idempotency keys of every message the segments still held at start. */
    public List<String> keys() {
        return Collections.unmodifiableList(keys);
    }

    /** The spool's disk has less room than the configured floor, or refused a write: try later (SMTP 452). */
    public static final class Full extends IOException {
        Full(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Opens the spool in a folder with no free-space floor. */
    public Spool(Path dir, long segmentBytes) throws IOException {
        this(dir, segmentBytes, 0);
    }

    /**
     * Opens the spool in a folder, reading back what a previous run left.
     *
     * @param segmentBytes size at which a new segment file is started
     * @param minFree free bytes the disk must keep: below it messages are refused, so the
     *        disk never fills up under the done records and the logs the node still has to write
     */
    public Spool(Path dir, long segmentBytes, long minFree) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.segmentBytes = segmentBytes;
        this.minFree = minFree;
        this.store = Files.getFileStore(dir);
        recover();
        openSegment(currentSegment + 1);
        dropFinishedSegments();
        writer = Thread.ofPlatform().name("spool-writer").daemon(true).start(this::writeLoop);
    }

    /** What the previous run left to deliver (empty on a fresh spool). */
    public List<Recovered> recovered() {
        return List.copyOf(recovered);
    }

    /**
     * Accepts a message: completes once it is on disk (forced), with the stored record.
     * Fails the future with {@link Full} when the disk is short of room or refuses the write:
     * nothing then counts as accepted, and what was half-written is cut off again.
     */
    public CompletableFuture<SpooledMessage> accept(String sender, List<String> recipients, byte[] body) {
        return accept(null, sender, recipients, body);
    }

    /**
     * Accepts a message with the sender's idempotency key (no whitespace), kept in its record so a
     * restart knows the keys of everything the spool holds ({@link #keys()}).
     */
    public CompletableFuture<SpooledMessage> accept(String key, String sender, List<String> recipients, byte[] body) {
        if (key != null && !key.matches("[!-~]{1,200}")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a key is 1 to 200 visible ASCII characters"));
        }
        if (body.length > MAX_BODY) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message larger than " + MAX_BODY + " bytes"));
        }
        long free = free();
        if (free - body.length < minFree) {
            return CompletableFuture.failedFuture(new Full("the spool's disk has " + free + " bytes free, the floor is " + minFree, null));
        }
        String id = Long.toString(System.currentTimeMillis(), 36) + "-" + Long.toString(sequence.incrementAndGet(), 36);
        Instant now = Instant.now();
        byte[] envelope = envelope(key == null ? id : id + " " + key, sender, recipients, now);
        ByteBuffer payload = ByteBuffer.allocate(4 + envelope.length + 4 + body.length);
        payload.putInt(envelope.length).put(envelope).putInt(body.length).put(body);
        CompletableFuture<Long[]> written = new CompletableFuture<>();
        pending.add(new Pending(MESSAGE, payload.array(), written));
        return written.thenApply(where -> {
            long bodyOffset = where[1] + HEADER + 4 + envelope.length + 4;
            SpooledMessage m = new SpooledMessage(id, key, sender, recipients, now, where[0], bodyOffset, body.length);
            live.put(id, new Live(m, new BitSet(recipients.size())));
            synchronized (liveBySegment) {
                liveBySegment.computeIfAbsent(where[0], k -> new long[1])[0] += recipients.size();
            }
            return m;
        });
    }

    /** Records a recipient's final outcome (delivered or bounced); the write is not waited for. */
    public void done(String id, int recipient) {
        Live l = live.get(id);
        if (l == null) {
            return;
        }
        boolean wholly;
        synchronized (l) {
            if (l.done().get(recipient)) {
                return;
            }
            l.done().set(recipient);
            wholly = l.done().cardinality() == l.message().recipients().size();
        }
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + idBytes.length + 4);
        payload.putShort((short) idBytes.length).put(idBytes).putInt(recipient);
        pending.add(new Pending(DONE, payload.array(), new CompletableFuture<>()));
        if (wholly) {
            live.remove(id);
        }
        synchronized (liveBySegment) {
            long[] n = liveBySegment.get(l.message().segment());
            if (n != null) {
                n[0]--;
            }
        }
    }

    /** Reads a message's body from its segment. */
    public byte[] body(SpooledMessage m) throws IOException {
        FileChannel ch = readers.computeIfAbsent(m.segment(), s -> {
            try {
                return FileChannel.open(segmentPath(s), StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ByteBuffer buf = ByteBuffer.allocate(m.bodyLength());
        long at = m.bodyOffset();
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException("segment " + m.segment() + " ends inside the body of " + m.id());
            }
            at += n;
        }
        return buf.array();
    }

    /** A queued message and which of its recipients have an outcome; empty once all have (or for an unknown id). */
    public Optional<Map<String, Object>> status(String id) {
        Live l = live.get(id);
        if (l == null) {
            return Optional.empty();
        }
        List<Map<String, Object>> recipients = new ArrayList<>();
        synchronized (l) {
            for (int i = 0; i < l.message().recipients().size(); i++) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("address", l.message().recipients().get(i));
                r.put("done", l.done().get(i));
                recipients.add(r);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("sender", l.message().sender());
        out.put("accepted", l.message().accepted().toString());
        out.put("bytes", l.message().bodyLength());
        out.put("recipients", recipients);
        return Optional.of(out);
    }

    /** Free bytes on the spool's disk, read at most every 200 ms. */
    public long free() {
        long now = System.nanoTime();
        if (now - freeCheckedAt > 200_000_000L || freeCheckedAt == 0) {
            try {
                freeBytes = store.getUsableSpace();
            } catch (IOException e) {
                freeBytes = 0;
            }
            freeCheckedAt = now;
        }
        return freeBytes;
    }

    /** Messages with recipients still to deliver. */
    public int liveMessages() {
        return live.size();
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, 4096);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                Full full = new Full("the spool could not be written: " + e.getMessage(), e);
                for (Pending p : batch) {
                    if (p.type() == DONE) {
                        pending.add(p); // an outcome is not lost: written with a later batch
                    } else {
                        p.written().completeExceptionally(full);
                    }
                }
                freeCheckedAt = 0;
                try {
                    Thread.sleep(100); // the disk is full or failing: do not spin on it
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) throws IOException {
        Long[][] where = new Long[batch.size()][];
        int size = 0;
        for (Pending p : batch) {
            size += HEADER + p.payload().length + 4;
        }
        if (position > 0 && position + size > segmentBytes) {
            current.force(false);
            current.close();
            openSegment(currentSegment + 1);
            dropFinishedSegments();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        CRC32C crc = new CRC32C();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            where[i] = new Long[] {currentSegment, position + out.position()};
            out.putInt(MAGIC).put(p.type()).putInt(p.payload().length).put(p.payload());
            crc.reset();
            crc.update(p.type());
            crc.update(p.payload());
            out.putInt((int) crc.getValue());
        }
        out.flip();
        long start = position;
        try {
            while (out.hasRemaining()) {
                position += current.write(out, position);
            }
            current.force(false);
        } catch (IOException e) {
            // cut off what part of the batch reached the file, so later records follow whole ones
            position = start;
            current.truncate(start);
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).written().complete(where[i]);
        }
    }

    private void openSegment(long n) throws IOException {
        currentSegment = n;
        current = FileChannel.open(segmentPath(n), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        position = current.size();
        // the new file's name must survive a crash too
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for sync; the segment's own force still holds its records
        }
    }

    /** Deletes the oldest segments whose recipients are all done. */
    private void dropFinishedSegments() throws IOException {
        List<Long> gone = new ArrayList<>();
        synchronized (liveBySegment) {
            for (Map.Entry<Long, long[]> e : liveBySegment.entrySet()) {
                if (e.getKey() >= currentSegment || e.getValue()[0] > 0) {
                    break;
                }
                gone.add(e.getKey());
            }
            gone.forEach(liveBySegment::remove);
        }
        for (long s : gone) {
            FileChannel r = readers.remove(s);
            if (r != null) {
                r.close();
            }
            Files.deleteIfExists(segmentPath(s));
        }
    }

    private Path segmentPath(long n) {
        return dir.resolve(String.format("spool-%012d.log", n));
    }

    private static byte[] envelope(String id, String sender, Collection<String> recipients, Instant accepted) {
        StringBuilder s = new StringBuilder();
        s.append(id).append('\n').append(sender).append('\n').append(accepted.toEpochMilli()).append('\n');
        for (String r : recipients) {
            s.append(r).append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads every segment back: messages, then their done recipients; a torn tail is cut off. */
    private void recover() throws IOException {
        List<Path> segments;
        try (var files = Files.list(dir)) {
            segments = files.filter(p -> p.getFileName().toString().matches("spool-\\d{12}\\.log")).sorted().toList();
        }
        Map<String, Live> found = new LinkedHashMap<>();
        for (Path path : segments) {
            long segment = Long.parseLong(path.getFileName().toString().substring(6, 18));
            currentSegment = Math.max(currentSegment, segment);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long at = 0;
                long size = ch.size();
                ByteBuffer head = ByteBuffer.allocate(HEADER);
                while (at + HEADER <= size) {
                    head.clear();
                    ch.read(head, at);
                    head.flip();
                    if (head.getInt() != MAGIC) {
                        break;
                    }
                    byte type = head.get();
                    int length = head.getInt();
                    if (length < 0 || at + HEADER + length + 4 > size) {
                        break;
                    }
                    ByteBuffer payload = ByteBuffer.allocate(type == MESSAGE ? Math.min(length, 4) : length);
                    ch.read(payload, at + HEADER);
                    payload.flip();
                    if (type == MESSAGE) {
                        int envLength = payload.getInt();
                        ByteBuffer env = ByteBuffer.allocate(envLength);
                        ch.read(env, at + HEADER + 4);
                        String[] lines = new String(env.array(), StandardCharsets.UTF_8).split("\n");
                        ByteBuffer bodyLength = ByteBuffer.allocate(4);
                        ch.read(bodyLength, at + HEADER + 4 + envLength);
                        bodyLength.flip();
                        List<String> rcpts = List.of(lines).subList(3, lines.length);
                        int space = lines[0].indexOf(' ');
                        String key = null;
                        if (space > 0) {
                            key = lines[0].substring(space + 1);
                            keys.add(key);
                            lines[0] = lines[0].substring(0, space);
                        }
                        SpooledMessage m = new SpooledMessage(lines[0], key, lines[1], rcpts, Instant.ofEpochMilli(Long.parseLong(lines[2])),
                                segment, at + HEADER + 4 + envLength + 4, bodyLength.getInt());
                        found.put(m.id(), new Live(m, new BitSet(rcpts.size())));
                    } else if (type == DONE) {
                        String id = new String(payload.array(), 2, payload.getShort(), StandardCharsets.UTF_8);
                        int rcpt = payload.getInt(2 + id.getBytes(StandardCharsets.UTF_8).length);
                        Live l = found.get(id);
                        if (l != null) {
                            l.done().set(rcpt);
                        }
                    }
                    at += HEADER + length + 4;
                }
                if (at < size) {
                    ch.truncate(at); // a record the crash cut short was never acknowledged
                }
            }
        }
        for (Live l : found.values()) {
            List<Integer> undone = new ArrayList<>();
            for (int i = 0; i < l.message().recipients().size(); i++) {
                if (!l.done().get(i)) {
                    undone.add(i);
                }
            }
            if (undone.isEmpty()) {
                continue;
            }
            live.put(l.message().id(), l);
            recovered.add(new Recovered(l.message(), undone));
            synchronized (liveBySegment) {
                liveBySegment.computeIfAbsent(l.message().segment(), k -> new long[1])[0] += undone.size();
            }
        }
        for (Path path : segments) {
            long segment = Long.parseLong(path.getFileName().toString().substring(6, 18));
            if (!liveBySegment.containsKey(segment)) {
                liveBySegment.put(segment, new long[1]);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        current.close();
        for (FileChannel r : readers.values()) {
            r.close();
        }
    }
}
