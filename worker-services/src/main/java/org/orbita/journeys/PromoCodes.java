package org.orbita.journeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * Pools of promo codes that journeys hand out one per instance: codes are uploaded to a pool,
 * each issue takes the next unused one under a key (the journey instance and node), and the
 * same key always gets the same code back, so a retried job does not spend two.
 */
public final class PromoCodes {

    /** A pool: the codes not issued yet, and what was issued under each key. */
    public record Pool(String id, String workspaceId, String name, List<String> available, Map<String, String> issued) {
        public Pool {
            available = available == null ? List.of() : available;
            issued = issued == null ? Map.of() : issued;
        }
    }

    /** What the API shows of a pool. */
    public record Summary(String id, String name, int available, int issued) {}

    private final Documents<Pool> pools;

    public PromoCodes(SettingsStore settings) {
        this.pools = new Documents<>(settings, "promo-pools", Pool.class, p -> p.workspaceId() + "/" + p.id());
    }

    public Optional<Pool> find(String workspaceId, String id) {
        return pools.get(workspaceId + "/" + id);
    }

    public List<Summary> list(String workspaceId) {
        return pools.list().stream().filter(p -> p.workspaceId().equals(workspaceId))
                .map(p -> new Summary(p.id(), p.name(), p.available().size(), p.issued().size())).toList();
    }

    /** Adds codes to a pool (created when new); codes already in it or issued are not added twice. Returns how many were added. */
    public synchronized int add(String workspaceId, String id, String name, List<String> codes) {
        if (id == null || !id.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new InvalidInputException("id", id, "1–64 letters, digits, '.', '_' or '-'");
        }
        if (codes == null || codes.isEmpty()) {
            throw new InvalidInputException("codes", null, "at least one code");
        }
        Pool p = find(workspaceId, id).orElse(new Pool(id, workspaceId, name == null || name.isBlank() ? id : name, List.of(), Map.of()));
        LinkedHashSet<String> available = new LinkedHashSet<>(p.available());
        int before = available.size();
        for (int i = 0; i < codes.size(); i++) {
            String c = codes.get(i) == null ? "" : codes.get(i).strip();
            if (c.isEmpty() || c.length() > 128) {
                throw new InvalidInputException("codes[" + i + "]", codes.get(i), "a code of 1–128 characters");
            }
            if (!p.issued().containsValue(c)) {
                available.add(c);
            }
        }
        pools.put(new Pool(p.id(), workspaceId, p.name(), new ArrayList<>(available), p.issued()));
        return available.size() - before;
    }

    /** The code issued under {@code key}: the one issued before, or the next available; fails when the pool has none left. */
    public synchronized String issue(String workspaceId, String id, String key) {
        Pool p = find(workspaceId, id).orElseThrow(() -> new NotFoundException("promo code pool", id));
        String before = p.issued().get(key);
        if (before != null) {
            return before;
        }
        if (p.available().isEmpty()) {
            throw new IllegalStateException("promo code pool " + id + " has no codes left");
        }
        Map<String, String> issued = new LinkedHashMap<>(p.issued());
        String code = p.available().get(0);
        issued.put(key, code);
        pools.put(new Pool(p.id(), workspaceId, p.name(), new ArrayList<>(p.available().subList(1, p.available().size())), issued));
        return code;
    }
}
