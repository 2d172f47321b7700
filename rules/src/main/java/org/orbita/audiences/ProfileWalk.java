package org.orbita.audiences;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.orbita.events.Event;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;

/**
 * Walks a database's profiles in id order, a page at a time, handing each over with its
 * recent events and stored memberships (read for the whole page at once). A thread pages
 * the ids; two readers fetch the pages' contents while this one evaluates, handed over in
 * order; at most three pages wait. Definitions that read no document get profiles with their
 * ids alone ({@link #documents}).
 * With a {@code sample} below the database's size, it reads evenly spaced slices instead.
 */
final class ProfileWalk {

    static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }

    interface Visit {
        void visit(Profile p, List<EventFact> events, Set<String> stored);
    }

    private record Page(List<Profile> profiles, Map<String, Set<String>> stored, Map<String, List<Event>> events, RuntimeException error) {}

    private static final int PAGE = 1000;
    /** Pages read at once: one per core of a small server, while this thread evaluates. */
    private static final int READERS = 2;
    private static final int SLICES = 20;
    private final ProfileStore profiles;
    private final SegmentMembers members;
    private final RecentEvents recent;
    private final String databaseId;
    private final Visit visit;
    long limit = Long.MAX_VALUE;
    /** Whether the definitions read profiles' documents (fields, subscriptions, relations); without, ids are paged alone. */
    boolean documents = true;

    ProfileWalk(ProfileStore profiles, SegmentMembers members, RecentEvents recent, String databaseId, Visit visit) {
        this.profiles = profiles;
        this.members = members;
        this.recent = recent;
        this.databaseId = databaseId;
        this.visit = visit;
    }

    private Page read(List<Profile> page, EventNeeds needs, long now) {
        String first = page.get(0).id();
        String last = page.get(page.size() - 1).id();
        return new Page(page, members.segmentsOfRange(databaseId, first, last),
                needs.any() ? recent.recentOfRange(databaseId, first, last, needs.since(now)) : Map.of(), null);
    }

    /** Whether any of these definitions reads a profile's document: a field, a subscription, a relation, a custom rule. */
    static boolean readsDocuments(java.util.Collection<Condition> definitions) {
        for (Condition c : definitions) {
            if (readsDocument(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean readsDocument(Condition c) {
        return switch (c) {
            case Condition.Group g -> readsDocuments(g.conditions());
            case Condition.Field f -> true;
            case Condition.Subscribed s -> true;
            case Condition.Related r -> true;
            case Condition.Custom x -> true;
            case Condition.Did d -> false;
            case Condition.Aggregate a -> false;
            case Condition.LastEvent l -> false;
            case Condition.InSegment i -> false;
            case Condition.Promo p -> false;
        };
    }

    /**
     * Pages to read — all in id order, or evenly spaced slices adding up to {@code limit} — each
     * read by one of the {@link #READERS} (its memberships and events; its documents too when the
     * definitions read them), queued in order.
     */
    private void produce(BlockingQueue<Future<Page>> out, ExecutorService readers, EventNeeds needs, long now, long total,
            AtomicBoolean stop) throws InterruptedException {
        if (limit < total) {
            long perSlice = Math.max(1, limit / SLICES);
            for (int i = 0; i < SLICES && !stop.get(); i++) {
                long offset = total * i / SLICES;
                String after = offset == 0 ? null : profiles.idAt(databaseId, offset - 1).orElse(null);
                if (offset > 0 && after == null) {
                    return;
                }
                for (long done = 0; done < perSlice && !stop.get(); done += PAGE) {
                    List<String> ids = profiles.ids(databaseId, after, (int) Math.min(PAGE, perSlice - done));
                    if (ids.isEmpty()) {
                        break;
                    }
                    out.put(submit(readers, after, ids, needs, now));
                    after = ids.get(ids.size() - 1);
                }
            }
            return;
        }
        String after = null;
        while (!stop.get()) {
            List<String> ids = profiles.ids(databaseId, after, PAGE);
            if (ids.isEmpty()) {
                return;
            }
            out.put(submit(readers, after, ids, needs, now));
            if (ids.size() < PAGE) {
                return;
            }
            after = ids.get(ids.size() - 1);
        }
    }

    /** One page read on a reader: the profiles after {@code after} (ids are in creation order: the same ones), or their ids alone. */
    private Future<Page> submit(ExecutorService readers, String after, List<String> ids, EventNeeds needs, long now) {
        return readers.submit(() -> {
            List<Profile> page = documents ? profiles.page(databaseId, after, ids.size()) : ids.stream()
                    .map(id -> new Profile(id, databaseId, Map.of(), List.of(), List.of(), Profile.Status.ACTIVE, null, null, List.of())).toList();
            return page.isEmpty() ? new Page(List.of(), Map.of(), Map.of(), null) : read(page, needs, now);
        });
    }

    void run(EventNeeds needs, long now) {
        long total = limit == Long.MAX_VALUE ? Long.MAX_VALUE : profiles.count(databaseId);
        BlockingQueue<Future<Page>> queue = new ArrayBlockingQueue<>(READERS + 1);
        AtomicBoolean stop = new AtomicBoolean();
        Page end = new Page(List.of(), Map.of(), Map.of(), null);
        ExecutorService readers = Executors.newFixedThreadPool(READERS, Thread.ofPlatform().name("segments-reader-", 0).daemon().factory());
        Thread producer = Thread.ofPlatform().name("segments-pages").daemon().start(() -> {
            try {
                produce(queue, readers, needs, now, total, stop);
                queue.put(CompletableFuture.completedFuture(end));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                try {
                    queue.put(CompletableFuture.completedFuture(new Page(List.of(), Map.of(), Map.of(), e)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        long visited = 0;
        try {
            while (true) {
                Page page;
                try {
                    page = queue.take().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("reading profiles failed", e.getCause());
                }
                if (page.error() != null) {
                    throw page.error();
                }
                if (page == end) {
                    return;
                }
                for (Profile p : page.profiles()) {
                    List<Event> mine = page.events().get(p.id());
                    visit.visit(p, mine == null ? List.of() : SegmentFacts.eventFacts(mine, needs), page.stored().getOrDefault(p.id(), Set.of()));
                    if (++visited >= limit) {
                        throw new Enough();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while walking profiles", e);
        } finally {
            stop.set(true);
            producer.interrupt();
            readers.shutdownNow();
        }
    }
}
