package org.orbita.market;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.market.Market.Product;

/**
 * What templates see as recommendations beside an order or a cart: the products most often in
 * the same orders as these ({@code bought_together}) and the most ordered of a category
 * ({@code popular}), each {@code {id, name, url, image, price}} from the catalogue (placeholders
 * left out).
 */
final class Recommendations {

    private Recommendations() {}

    static List<Map<String, Object>> boughtTogether(MarketStore store, String workspaceId, Collection<String> products) {
        return cards(store, workspaceId, store.boughtTogether(workspaceId, products, 4));
    }

    /** The category's most ordered products but these, four at most. */
    static List<Map<String, Object>> popular(MarketStore store, String workspaceId, String categoryId, Collection<String> these) {
        return categoryId == null ? List.of() : cards(store, workspaceId, store.popular(workspaceId, categoryId, 4 + these.size()).stream()
                .filter(id -> !these.contains(id)).limit(4).toList());
    }

    private static List<Map<String, Object>> cards(MarketStore store, String workspaceId, List<String> ids) {
        Map<String, Product> found = store.products(workspaceId, ids);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ids) {
            Product p = found.get(id);
            if (p == null || p.placeholder()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("name", p.name());
            if (p.url() != null) {
                m.put("url", p.url());
            }
            if (p.image() != null) {
                m.put("image", p.image());
            }
            if (p.price() != null) {
                m.put("price", p.price());
            }
            out.add(m);
        }
        return out;
    }
}
