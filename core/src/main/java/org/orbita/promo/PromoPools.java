package org.orbita.promo;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.ConflictException;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.promo.PromoPool.Generator;
import org.orbita.promo.PromoPool.Refill;
import org.orbita.promo.PromoPool.Source;
import org.orbita.promo.PromoStore.Claim;
import org.orbita.promo.PromoStore.Code;
import org.orbita.promo.PromoStore.State;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.orbita.tabular.RowSource;
import org.orbita.tabular.TableExport;

/**
 * A workspace's promo code pools (Altcraft's loyalty calls: import, get, activate, update, attach,
 * detach, export): made and filled by people allowed to write promo pools, codes handed out by
 * the platform's senders ({@link #issue}) one per key and profile, redeemed from the API or an
 * order. Every change of a code is an event on its profile — {@code promo.issued},
 * {@code promo.redeemed}, {@code promo.detached}, {@code promo.expired} with the pool and code —
 * so segments, triggers, journeys and reports hear of it.
 */
public final class PromoPools {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern CODE = Pattern.compile("[\\x21-\\x7e]{1,64}");
    static final int MAX_GENERATE = 10_000_000;
    static final int MAX_SOURCE_BATCH = 100_000;
    private static final int BATCH = 5_000;
    /**
     * Codes written per transaction when generating: a pattern's codes land all over the code index, so
     * each transaction rewrites most of the index's pages; 100,000 a transaction is ~2.5× faster than 5,000 (bench/run promo).
     */
    private static final int GENERATE_BATCH = 100_000;
    private static final int MAX_PROBLEMS = 1_000;

    /** What a person gives to make or change a pool; absent parts keep what they were. {@code source.token} "" removes it. */
    public record PoolInput(String id, String name, String kind, String code, String pattern, Boolean checkDigit, Instant validFrom,
                            Instant validUntil, Integer alertBelow, String alertEmails, SourceInput source, Boolean clearValidity) {}

    public record SourceInput(String url, Integer batch, Integer refillBelow, String token) {}

    /** A pool as people see it: no secrets, the codes counted by state. */
    public record View(String id, String name, String kind, String code, String pattern, Boolean checkDigit, Long made, Long capacity,
                       Instant validFrom, Instant validUntil, Integer alertBelow, String alertEmails, SourceView source, Refill lastRefill,
                       boolean low, Map<String, Long> counts, Instant created, Instant updated) {}

    public record SourceView(String url, int batch, int refillBelow, boolean tokenSet) {}

    /** What an import did: rows read, codes added, and each refused row with why (the first {@value #MAX_PROBLEMS}). */
    public record ImportReport(long rows, long added, long duplicates, long invalid, List<RowProblem> problems) {}

    public record RowProblem(long row, String code, String problem) {}

    /** The codes handed out under their keys, and why the others got none (same reason for all of them). */
    public record Issued(Map<String, Code> codes, String refusal) {}

    /** Pulls codes from a pool's service. */
    public interface CodeService {
        List<String> pull(PromoPool pool, int count) throws IOException;
    }

    /** Told once when a pool falls below its alert mark. */
    public interface LowAlert {
        void low(PromoPool pool, long available);
    }

    private final Documents<PromoPool> pools;
    private final PromoStore store;
    private final EventLog events;
    private final CodeService service;
    private final Access access;
    private final Clock clock;
    private volatile LowAlert alert = (pool, available) -> { };
    private final SecureRandom random = new SecureRandom();

    public PromoPools(SettingsStore settings, PromoStore store, EventLog events, CodeService service, Access access, Clock clock) {
        this.pools = new Documents<>(settings, "promo-pools-v2", PromoPool.class, p -> p.workspaceId() + "/" + p.id());
        this.store = store;
        this.events = events;
        this.service = service;
        this.access = access;
        this.clock = clock;
    }

    public void onLow(LowAlert alert) {
        this.alert = alert;
    }

    public PromoStore store() {
        return store;
    }

    // ---- pools

    public List<View> list(String workspaceId) {
        access.require(Resource.PROMO, Action.READ);
        return pools.list().stream().filter(p -> p.workspaceId().equals(workspaceId)).map(this::view).toList();
    }

    public View get(String workspaceId, String id) {
        access.require(Resource.PROMO, Action.READ);
        return view(pool(workspaceId, id));
    }

    /** The pool itself, for the platform's senders (no permission asked: the caller checked what it sends). */
    public Optional<PromoPool> find(String workspaceId, String id) {
        return id == null ? Optional.empty() : pools.get(workspaceId + "/" + id);
    }

    private PromoPool pool(String workspaceId, String id) {
        return find(workspaceId, id).orElseThrow(() -> new NotFoundException("promo code pool", id));
    }

    public View create(String workspaceId, PoolInput in) {
        access.require(Resource.PROMO, Action.WRITE);
        String id = in.id() == null ? null : in.id().strip();
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidInputException("id", in.id(), "1–64 lower-case letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (find(workspaceId, id).isPresent()) {
            throw new ConflictException("a promo code pool " + id + " exists already");
        }
        Instant now = clock.instant();
        byte[] key = new byte[32];
        random.nextBytes(key);
        PromoPool blank = new PromoPool(id, workspaceId, id, PromoPool.PERSONAL, null, null, null, null, null, null, null, null, null,
                Base64.getEncoder().encodeToString(key), now, now);
        PromoPool made = merge(blank, in, now);
        return view(access.recorded(Resource.PROMO, Action.WRITE, null, pools.put(made)));
    }

    public View update(String workspaceId, String id, PoolInput in) {
        access.require(Resource.PROMO, Action.WRITE);
        PromoPool before = pool(workspaceId, id);
        if (in.kind() != null && !in.kind().equals(before.kind())) {
            throw new InvalidInputException("kind", in.kind(), "a pool's kind is chosen when it is made");
        }
        PromoPool after = merge(before, in, clock.instant());
        return view(access.recorded(Resource.PROMO, Action.WRITE, before, pools.put(after)));
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.PROMO, Action.DELETE);
        PromoPool before = pool(workspaceId, id);
        store.deletePool(workspaceId, id);
        pools.delete(workspaceId + "/" + id);
        access.changed(Resource.PROMO, Action.DELETE, id, before, null);
    }

    private PromoPool merge(PromoPool p, PoolInput in, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() == null ? p.name() : in.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            errors.add(FieldError.of("name", in.name(), "1 to 200 characters"));
        }
        String kind = in.kind() == null ? p.kind() : in.kind();
        if (!PromoPool.PERSONAL.equals(kind) && !PromoPool.UNIVERSAL.equals(kind)) {
            errors.add(FieldError.of("kind", in.kind(), "personal (one code per profile) or universal (one code for everyone)"));
        }
        String code = in.code() == null ? p.code() : in.code().strip();
        if (PromoPool.UNIVERSAL.equals(kind) && (code == null || !CODE.matcher(code).matches())) {
            errors.add(FieldError.of("code", in.code(), "a universal pool's code: 1 to 64 printable ASCII characters, no spaces"));
        }
        if (PromoPool.PERSONAL.equals(kind) && in.code() != null) {
            errors.add(FieldError.of("code", in.code(), "a personal pool has no single code: generate or import its codes"));
        }
        Generator generator = p.generator();
        if (in.pattern() != null || in.checkDigit() != null) {
            String pattern = in.pattern() != null ? in.pattern().strip() : generator == null ? null : generator.pattern();
            boolean check = in.checkDigit() != null ? in.checkDigit() : generator != null && generator.checkDigit();
            if (generator != null && generator.made() > 0 && (!generator.pattern().equals(pattern) || generator.checkDigit() != check)) {
                errors.add(FieldError.of("pattern", in.pattern(), "codes were made by " + generator.pattern() + " already; make a new pool for another"));
            } else if (!PromoPool.PERSONAL.equals(kind)) {
                errors.add(FieldError.of("pattern", in.pattern(), "only personal pools generate codes"));
            } else {
                try {
                    new CodePattern(pattern, check);
                    generator = new Generator(pattern, check, generator == null ? 0 : generator.made());
                } catch (InvalidInputException e) {
                    errors.addAll(e.errors());
                }
            }
        }
        boolean clear = Boolean.TRUE.equals(in.clearValidity());
        Instant from = in.validFrom() != null ? in.validFrom() : clear ? null : p.validFrom();
        Instant until = in.validUntil() != null ? in.validUntil() : clear ? null : p.validUntil();
        if (from != null && until != null && !from.isBefore(until)) {
            errors.add(FieldError.of("validUntil", until, "after validFrom (" + from + ")"));
        }
        Integer alertBelow = in.alertBelow() != null ? in.alertBelow() : p.alertBelow();
        if (alertBelow != null && (alertBelow < 0 || alertBelow > MAX_GENERATE)) {
            errors.add(FieldError.of("alertBelow", alertBelow, "0 (no alert) to " + MAX_GENERATE));
        }
        String emails = in.alertEmails() != null ? in.alertEmails().strip() : p.alertEmails();
        if (emails != null && !emails.isEmpty()) {
            for (String e : emails.split("[,;\\s]+")) {
                if (!e.matches("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s.]{2,}")) {
                    errors.add(FieldError.of("alertEmails", e, "email addresses, separated by commas"));
                }
            }
        }
        Source source = source(p, in.source(), kind, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new PromoPool(p.id(), p.workspaceId(), name, kind, PromoPool.UNIVERSAL.equals(kind) ? code : null, generator, from, until,
                alertBelow == null || alertBelow == 0 ? null : alertBelow, emails == null || emails.isEmpty() ? null : emails, source,
                p.lastRefill(), p.lowSince(), p.secret(), p.created(), now);
    }

    private static Source source(PromoPool p, SourceInput in, String kind, List<FieldError> errors) {
        if (in == null) {
            return p.source();
        }
        if (in.url() != null && in.url().isBlank()) {
            return null; // no service any more
        }
        Source before = p.source();
        String url = in.url() != null ? in.url().strip() : before == null ? null : before.url();
        if (url == null || !url.matches("(?i)https?://[^\\s/?#]+[^\\s]*") || url.length() > 2000) {
            errors.add(FieldError.of("source.url", in.url(), "an http(s) URL of the service that hands out codes"));
        }
        if (!PromoPool.PERSONAL.equals(kind)) {
            errors.add(FieldError.of("source", null, "only personal pools pull codes from a service"));
        }
        int batch = in.batch() != null ? in.batch() : before == null ? 1000 : before.batch();
        if (batch < 1 || batch > MAX_SOURCE_BATCH) {
            errors.add(FieldError.of("source.batch", in.batch(), "1 to " + MAX_SOURCE_BATCH + " codes a pull"));
        }
        int below = in.refillBelow() != null ? in.refillBelow() : before == null ? batch / 2 : before.refillBelow();
        if (below < 0 || below > MAX_GENERATE) {
            errors.add(FieldError.of("source.refillBelow", in.refillBelow(), "0 (pull only by hand) to " + MAX_GENERATE));
        }
        String token = in.token() == null ? before == null ? null : before.token() : in.token().isEmpty() ? null : in.token();
        if (token != null && (token.length() > 2000 || !token.matches("[\\x21-\\x7e]+"))) {
            errors.add(FieldError.of("source.token", "(hidden)", "up to 2000 printable ASCII characters"));
        }
        return new Source(url, batch, below, token);
    }

    private View view(PromoPool p) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<State, Long> stored = p.personal() ? store.counts(p.workspaceId(), p.id()) : Map.of();
        for (State s : State.values()) {
            counts.put(s.id(), stored.getOrDefault(s, 0L));
        }
        Generator g = p.generator();
        Source s = p.source();
        return new View(p.id(), p.name(), p.kind(), p.code(), g == null ? null : g.pattern(), g == null ? null : g.checkDigit(),
                g == null ? null : g.made(), g == null ? null : new CodePattern(g.pattern(), g.checkDigit()).capacity(), p.validFrom(),
                p.validUntil(), p.alertBelow(), p.alertEmails(), s == null ? null : new SourceView(s.url(), s.batch(), s.refillBelow(), s.token() != null),
                p.lastRefill(), p.lowSince() != null, counts, p.created(), p.updated());
    }

    // ---- filling

    /** Makes {@code count} more codes by the pool's pattern: all different from each other and from what the pool holds. */
    public Map<String, Object> generate(String workspaceId, String id, long count) {
        access.require(Resource.PROMO, Action.WRITE);
        PromoPool p = pool(workspaceId, id);
        Generator g = p.generator();
        if (g == null) {
            throw new InvalidInputException("pattern", null, "the pool has no pattern: set one first");
        }
        if (count > MAX_GENERATE) {
            throw new InvalidInputException("count", count, "at most " + MAX_GENERATE + " at once");
        }
        CodePattern pattern = new CodePattern(g.pattern(), g.checkDigit());
        List<FieldError> errors = pattern.fits(g.made(), count);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        CodePattern.Permutation permutation = new CodePattern.Permutation(pattern.capacity(), Base64.getDecoder().decode(p.secret()));
        long added = 0;
        long made = g.made();
        List<String> batch = new ArrayList<>((int) Math.min(count, GENERATE_BATCH));
        for (long i = 0; i < count; i++) {
            batch.add(pattern.code(permutation.apply(made + i)));
            if (batch.size() == GENERATE_BATCH || i == count - 1) {
                added += batch.size() - store.add(workspaceId, id, batch).size();
                batch.clear();
                // the count made so far is saved as it grows: a generation cut short goes on from there, nothing made twice
                p = pools.put(p.withGenerator(new Generator(g.pattern(), g.checkDigit(), made + i + 1), clock.instant()));
            }
        }
        PromoPool done = p;
        access.changed(Resource.PROMO, Action.WRITE, id, null, Map.of("generated", count));
        return Map.of("added", added, "duplicates", count - added, "made", done.generator().made(), "available", available(done));
    }

    /** Adds the codes of a file's first column (a header {@code code} is skipped); each refused row reported. */
    public ImportReport importCodes(String workspaceId, String id, RowSource rows) throws IOException {
        access.require(Resource.PROMO, Action.WRITE);
        PromoPool p = pool(workspaceId, id);
        if (!p.personal()) {
            throw new InvalidInputException("id", id, "a universal pool has one code; import into a personal pool");
        }
        long[] n = new long[4]; // rows, added, duplicates, invalid
        List<RowProblem> problems = new ArrayList<>();
        List<String> batch = new ArrayList<>(BATCH);
        List<Long> lines = new ArrayList<>(BATCH);
        Consumer<Void> flush = v -> {
            List<Integer> refused = store.add(workspaceId, id, batch);
            n[1] += batch.size() - refused.size();
            n[2] += refused.size();
            for (int r : refused) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(new RowProblem(lines.get(r), batch.get(r), "duplicate: the pool has this code already"));
                }
            }
            batch.clear();
            lines.clear();
        };
        rows.read((line, cells, problem) -> {
            String code = cells == null || cells.isEmpty() || cells.get(0) == null ? "" : cells.get(0).strip();
            if (line == 1 && code.equalsIgnoreCase("code")) {
                return true;
            }
            n[0]++;
            String why = problem != null ? problem : code.isEmpty() ? "no code in the first column"
                    : !CODE.matcher(code).matches() ? "a code is 1 to 64 printable ASCII characters without spaces" : null;
            if (why != null) {
                n[3]++;
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(new RowProblem(line, code.length() > 80 ? code.substring(0, 80) + "…" : code, why));
                }
                return true;
            }
            batch.add(code);
            lines.add(line);
            if (batch.size() == BATCH) {
                flush.accept(null);
            }
            return true;
        });
        if (!batch.isEmpty()) {
            flush.accept(null);
        }
        access.changed(Resource.PROMO, Action.WRITE, id, null, Map.of("imported", n[1]));
        clearLow(pool(workspaceId, id));
        return new ImportReport(n[0], n[1], n[2], n[3], problems);
    }

    /** Checks that the one acting may export a pool's codes (before the answer starts streaming) and records it; the pool. */
    public PromoPool allowExport(String workspaceId, String id, State state, String format) {
        access.require(Resource.PROMO, Action.EXPORT);
        TableExport.checkFormat(format);
        PromoPool p = pool(workspaceId, id);
        access.changed(Resource.PROMO, Action.EXPORT, id, null, Map.of("state", state == null ? "all" : state.id(), "format", format));
        return p;
    }

    /** Streams a pool's codes (of one state, or all) as a table: code, state, profile, database, issued, redeemed, order. */
    public long export(PromoPool p, State state, String format, java.io.OutputStream out) throws IOException {
        String workspaceId = p.workspaceId();
        String id = p.id();
        return TableExport.write(format, p.name(), List.of("code", "state", "profile_id", "database", "issued_at", "redeemed_at", "order"), out,
                rows -> {
                    if (!p.personal()) {
                        rows.add(List.of(p.code(), "universal", "", "", "", "", ""));
                        return;
                    }
                    long after = 0;
                    while (true) {
                        List<Code> page = store.page(workspaceId, id, state, after, BATCH);
                        for (Code c : page) {
                            rows.add(List.of(c.code(), c.state().id(), nz(c.profileId()), nz(c.databaseId()), nz(c.issuedAt()), nz(c.redeemedAt()),
                                    nz(c.order())));
                        }
                        if (page.size() < BATCH) {
                            return;
                        }
                        after = page.get(page.size() - 1).seq();
                    }
                });
    }

    private static String nz(Object v) {
        return v == null ? "" : v.toString();
    }

    /** A page of a pool's codes, for the UI and the API. */
    public List<Code> codes(String workspaceId, String id, State state, long afterSeq, int limit) {
        access.require(Resource.PROMO, Action.READ);
        pool(workspaceId, id);
        return store.page(workspaceId, id, state, afterSeq, Math.max(1, Math.min(limit, 1000)));
    }

    /** Pulls a batch from the pool's service now; the outcome is kept on the pool as its last refill. */
    public Refill refill(String workspaceId, String id) {
        access.require(Resource.PROMO, Action.WRITE);
        return pull(pool(workspaceId, id));
    }

    /** Pulls for every pool with a service whose available codes fell below its mark (the platform's schedule calls this). */
    public int refillDue() {
        int pulled = 0;
        for (PromoPool p : pools.list()) {
            if (p.source() != null && p.source().refillBelow() > 0 && available(p) < p.source().refillBelow()) {
                pull(p);
                pulled++;
            }
        }
        return pulled;
    }

    private Refill pull(PromoPool p) {
        if (p.source() == null) {
            throw new InvalidInputException("source", null, "the pool has no service to pull codes from");
        }
        Instant at = clock.instant();
        Refill r;
        try {
            List<String> codes = service.pull(p, p.source().batch());
            List<String> valid = new ArrayList<>();
            int invalid = 0;
            for (String c : codes) {
                if (c != null && CODE.matcher(c.strip()).matches()) {
                    valid.add(c.strip());
                } else {
                    invalid++;
                }
            }
            int added = valid.size() - store.add(p.workspaceId(), p.id(), valid).size();
            r = new Refill(at, added, invalid == 0 ? null : invalid + " of the " + codes.size() + " codes were not codes and were left out");
        } catch (IOException e) {
            r = new Refill(at, 0, e.getMessage());
        }
        Refill outcome = r;
        PromoPool updated = pools.update(p.workspaceId() + "/" + p.id(), x -> x.withRefill(outcome));
        clearLow(updated);
        return r;
    }

    private long available(PromoPool p) {
        return p.personal() ? store.counts(p.workspaceId(), p.id()).getOrDefault(State.AVAILABLE, 0L) : Long.MAX_VALUE;
    }

    private void clearLow(PromoPool p) {
        if (p.lowSince() != null && (p.alertBelow() == null || available(p) >= p.alertBelow())) {
            pools.update(p.workspaceId() + "/" + p.id(), x -> x.withLowSince(null));
        }
    }

    // ---- handing out and redeeming

    /**
     * Hands out one code per claim (the platform's senders and journeys: no permission asked). A
     * retried claim — the same key — gets the same code; claims the pool cannot serve get none, all
     * with the one reason why (no such pool, outside its validity, no codes left).
     */
    public Issued issue(String workspaceId, String poolId, List<Claim> claims) {
        Optional<PromoPool> found = find(workspaceId, poolId);
        if (found.isEmpty()) {
            return new Issued(Map.of(), "no promo code pool " + poolId);
        }
        PromoPool p = found.get();
        Instant now = clock.instant();
        if (!p.validAt(now)) {
            return new Issued(Map.of(), "promo code pool " + poolId + (p.validFrom() != null && now.isBefore(p.validFrom())
                    ? " is valid from " + p.validFrom() : " expired at " + p.validUntil()));
        }
        Map<String, PromoStore.Issue> handed;
        if (p.personal()) {
            handed = store.issue(workspaceId, poolId, claims, now);
        } else {
            // a universal code goes to everyone; the event is recorded every time (a retried send may record it twice)
            handed = new LinkedHashMap<>();
            for (Claim c : claims) {
                handed.put(c.key(), new PromoStore.Issue(new Code(workspaceId, poolId, p.code(), 0, State.ISSUED, c.databaseId(), c.profileId(),
                        c.key(), now, null, null), true));
            }
        }
        Map<String, Code> codes = new LinkedHashMap<>();
        List<Event> issued = new ArrayList<>();
        for (Map.Entry<String, PromoStore.Issue> e : handed.entrySet()) {
            Code c = e.getValue().code();
            codes.put(e.getKey(), c);
            if (e.getValue().fresh() && c.profileId() != null && c.databaseId() != null) {
                issued.add(event(c, "promo.issued", now, Map.of("key", c.key())));
            }
        }
        if (!issued.isEmpty()) {
            events.append(issued);
        }
        if (p.personal()) {
            checkLow(p);
        }
        return new Issued(codes, codes.size() == claims.stream().map(Claim::key).distinct().count() ? null
                : "promo code pool " + poolId + " has no codes left");
    }

    private void checkLow(PromoPool p) {
        if (p.alertBelow() == null || p.lowSince() != null) {
            return;
        }
        long available = available(p);
        if (available < p.alertBelow()) {
            PromoPool marked = pools.update(p.workspaceId() + "/" + p.id(), x -> x.withLowSince(clock.instant()));
            alert.low(marked, available);
        }
    }

    /** Gives a profile a code: the one named (if available) or the pool's next. */
    public Code attach(String workspaceId, String poolId, String code, String databaseId, String profileId) {
        access.require(Resource.PROMO, Action.WRITE);
        PromoPool p = personal(workspaceId, poolId);
        requireProfile(databaseId, profileId);
        String key = "attach:" + Ids.next();
        if (code == null || code.isBlank()) {
            Issued issued = issue(workspaceId, poolId, List.of(new Claim(key, databaseId, profileId)));
            if (issued.refusal() != null) {
                throw new ConflictException(issued.refusal());
            }
            return issued.codes().get(key);
        }
        Code c = code(workspaceId, poolId, code);
        if (c.state() != State.AVAILABLE) {
            throw new ConflictException("code " + code + " is " + c.state().id() + (c.profileId() == null ? "" : " (profile " + c.profileId() + ")"));
        }
        if (!p.validAt(clock.instant())) {
            throw new ConflictException("promo code pool " + poolId + " is not valid now");
        }
        Instant now = clock.instant();
        Code after = store.change(c, c.with(State.ISSUED, databaseId, profileId, key, now, null, null))
                .orElseThrow(() -> new ConflictException("code " + code + " changed meanwhile: try again"));
        events.append(List.of(event(after, "promo.issued", now, Map.of("key", key))));
        checkLow(p);
        return after;
    }

    /** Takes an issued code back from its profile: it is available again. */
    public Code detach(String workspaceId, String poolId, String code) {
        access.require(Resource.PROMO, Action.WRITE);
        personal(workspaceId, poolId);
        Code c = code(workspaceId, poolId, code);
        if (c.state() != State.ISSUED) {
            throw new ConflictException("only an issued code is detached; code " + code + " is " + c.state().id());
        }
        Code after = store.change(c, c.with(State.AVAILABLE, null, null, null, null, null, null))
                .orElseThrow(() -> new ConflictException("code " + code + " changed meanwhile: try again"));
        events.append(List.of(event(c, "promo.detached", clock.instant(), Map.of())));
        return after;
    }

    /**
     * Redeems a code (Altcraft's {@code activate}): an issued one for its profile, an available one for
     * the profile given; once only, within the pool's validity. A universal code is redeemed by a profile
     * as often as it is given (once per order).
     */
    public Code redeem(String workspaceId, String poolId, String code, String databaseId, String profileId, String order) {
        access.require(Resource.PROMO, Action.WRITE);
        PromoPool p = pool(workspaceId, poolId);
        Instant now = clock.instant();
        if (!p.validAt(now)) {
            throw new ConflictException("promo code pool " + poolId + (p.validFrom() != null && now.isBefore(p.validFrom())
                    ? " is valid from " + p.validFrom() : " expired at " + p.validUntil()) + ": code not redeemed");
        }
        if (!p.personal()) {
            if (!p.code().equalsIgnoreCase(code == null ? "" : code.strip())) {
                throw new NotFoundException("promo code", code);
            }
            requireProfile(databaseId, profileId);
            Code c = new Code(workspaceId, poolId, p.code(), 0, State.REDEEMED, databaseId, profileId, null, null, now, order);
            events.append(List.of(event(c, "promo.redeemed", now, order == null ? Map.of() : Map.of("order", order))));
            return c;
        }
        Code c = code(workspaceId, poolId, code);
        if (c.state() == State.REDEEMED) {
            throw new ConflictException("code " + code + " was redeemed at " + c.redeemedAt() + (c.order() == null ? "" : " (order " + c.order() + ")"));
        }
        if (c.state() == State.EXPIRED) {
            throw new ConflictException("code " + code + " expired");
        }
        if (c.state() == State.ISSUED && profileId != null && !profileId.equals(c.profileId())) {
            throw new ConflictException("code " + code + " belongs to another profile");
        }
        if (c.state() == State.AVAILABLE) {
            requireProfile(databaseId, profileId);
        }
        String db = c.state() == State.ISSUED ? c.databaseId() : databaseId;
        String profile = c.state() == State.ISSUED ? c.profileId() : profileId;
        Code after = store.change(c, c.with(State.REDEEMED, db, profile, c.key(), c.issuedAt(), now, order))
                .orElseThrow(() -> new ConflictException("code " + code + " changed meanwhile: try again"));
        events.append(List.of(event(after, "promo.redeemed", now, order == null ? Map.of() : Map.of("order", order))));
        return after;
    }

    /** Ends a code's life before its pool's: it can no longer be redeemed. */
    public Code expire(String workspaceId, String poolId, String code) {
        access.require(Resource.PROMO, Action.WRITE);
        personal(workspaceId, poolId);
        Code c = code(workspaceId, poolId, code);
        if (c.state() == State.REDEEMED || c.state() == State.EXPIRED) {
            throw new ConflictException("code " + code + " is " + c.state().id() + " already");
        }
        Code after = store.change(c, c.with(State.EXPIRED, c.databaseId(), c.profileId(), c.key(), c.issuedAt(), null, null))
                .orElseThrow(() -> new ConflictException("code " + code + " changed meanwhile: try again"));
        if (c.profileId() != null) {
            events.append(List.of(event(c, "promo.expired", clock.instant(), Map.of())));
        }
        return after;
    }

    /** One code of a pool, with where it stands (Altcraft's {@code get}). */
    public Code code(String workspaceId, String poolId, String code) {
        access.require(Resource.PROMO, Action.READ);
        return store.find(workspaceId, poolId, code == null ? "" : code.strip()).orElseThrow(() -> new NotFoundException("promo code", code));
    }

    /** A profile's codes, for its card. */
    public List<Code> ofProfile(String workspaceId, String databaseId, String profileId) {
        access.require(Resource.PROMO, Action.READ);
        return store.ofProfile(workspaceId, databaseId, profileId, 100);
    }

    /** How many of each state a pool's codes are in (the report's numbers come from the events). */
    public Map<State, Long> counts(String workspaceId, String poolId) {
        access.require(Resource.PROMO, Action.READ);
        PromoPool p = pool(workspaceId, poolId);
        return p.personal() ? store.counts(workspaceId, poolId) : new EnumMap<>(State.class);
    }

    private PromoPool personal(String workspaceId, String poolId) {
        PromoPool p = pool(workspaceId, poolId);
        if (!p.personal()) {
            throw new InvalidInputException("pool", poolId, "a universal pool's one code is not attached, detached or expired by itself");
        }
        return p;
    }

    private static void requireProfile(String databaseId, String profileId) {
        if (databaseId == null || databaseId.isBlank() || profileId == null || profileId.isBlank()) {
            throw new InvalidInputException(profileId == null || profileId.isBlank() ? "profileId" : "database", null,
                    "the profile the code goes to: its database and id");
        }
    }

    private static Event event(Code c, String type, Instant at, Map<String, Object> extra) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("pool", c.poolId());
        props.put("code", c.code());
        props.putAll(extra);
        return new Event(Ids.next(), c.databaseId(), c.profileId(), type, null, at, props);
    }
}
