package org.orbita.audiences;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.orbita.events.Event;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;

/**
 * Walks a database's profiles in id order, a page at a time, handing each over with its
 * recent events and stored memberships (read for the whole page at once). A reader
 * thread fetches the next pages while this one evaluates; at most two pages wait.
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

    /** A page of profiles, or of their ids as profiles with nothing else when the definitions need no document. */
    private List<Profile> page(String after, int size) {
        if (documents) {
            return profiles.page(databaseId, after, size);
        }
        return profiles.ids(databaseId, after, size).stream()
                .map(id -> new Profile(id, databaseId, Map.of(), List.of(), List.of(), Profile.Status.ACTIVE, null, null, List.of())).toList();
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

    /** Pages to read: all in id order, or evenly spaced slices adding up to {@code limit}. */
    private void produce(BlockingQueue<Page> out, EventNeeds needs, long now, long total,
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
                    List<Profile> page = page(after, (int) Math.min(PAGE, perSlice - done));
                    if (page.isEmpty()) {
                        break;
                    }
                    out.put(read(page, needs, now));
                    after = page.get(page.size() - 1).id();
                }
            }
            return;
        }
        String after = null;
        while (!stop.get()) {
            List<Profile> page = page(after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            out.put(read(page, needs, now));
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    void run(EventNeeds needs, long now) {
        long total = limit == Long.MAX_VALUE ? Long.MAX_VALUE : profiles.count(databaseId);
        BlockingQueue<Page> queue = new ArrayBlockingQueue<>(2);
        AtomicBoolean stop = new AtomicBoolean();
        Page end = new Page(List.of(), Map.of(), Map.of(), null);
        Thread reader = Thread.ofPlatform().name("segments-reader").daemon().start(() -> {
            try {
                produce(queue, needs, now, total, stop);
                queue.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                try {
                    queue.put(new Page(List.of(), Map.of(), Map.of(), e));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        long visited = 0;
        try {
            while (true) {
                Page page = queue.take();
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
            reader.interrupt();
        }
    }
}
