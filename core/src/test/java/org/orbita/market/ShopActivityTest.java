package org.orbita.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.market.Market.CartLine;
import org.orbita.market.Market.Product;

class ShopActivityTest {

    @Test
    void itemsAreReadInGa4sShapeOrFlatAndBadOnesLeftOut() {
        List<CartLine> ga4 = ShopActivity.items(Map.of("items", List.of(
                Map.of("item_id", "boot", "item_name", "Boot", "item_variant", "boot-42", "price", 5000, "quantity", 2),
                Map.of("item_id", "hat", "price", "800.50"),
                Map.of("item_name", "no id"),
                Map.of("item_id", "bad id with spaces"),
                Map.of("item_id", "sock", "quantity", -1),
                Map.of("item_id", "sock", "quantity", "many"),
                Map.of("item_id", "glove", "price", -3))), BigDecimal.ONE);
        assertThat(ga4).containsExactly(new CartLine("boot", "boot-42", "Boot", new BigDecimal("2"), new BigDecimal("5000")),
                new CartLine("hat", null, null, BigDecimal.ONE, new BigDecimal("800.5")),
                new CartLine("glove", null, null, BigDecimal.ONE, null));
        assertThat(ShopActivity.items(Map.of("product_id", "boot", "sku", "boot-42", "quantity", 3), BigDecimal.ONE))
                .containsExactly(new CartLine("boot", "boot-42", null, new BigDecimal("3"), null));
        assertThat(ShopActivity.items(Map.of("product_id", "boot"), null)).as("a removal without a quantity: the whole line")
                .containsExactly(new CartLine("boot", null, null, null, null));
    }

    private static Product product(String id, String price, String currency, boolean available, boolean placeholder) {
        return new Product(id, id, null, null, price == null ? null : new BigDecimal(price), currency, null, null, available, placeholder, Instant.EPOCH);
    }

    @Test
    void viewersHearOfALowerPriceInTheSameCurrencyAndOfARestockOnly() {
        Map<String, Product> before = Map.of(
                "cheaper", product("cheaper", "100", "RUB", true, false),
                "dearer", product("dearer", "100", "RUB", true, false),
                "other-currency", product("other-currency", "100", "RUB", true, false),
                "restocked", product("restocked", "100", "RUB", false, false),
                "still-out", product("still-out", "100", "RUB", false, false),
                "placeholder", product("placeholder", null, null, true, true));
        List<ShopActivity.ProductChange> changes = ShopActivity.changes(before, List.of(
                product("cheaper", "90", "RUB", true, false),
                product("dearer", "110", "RUB", true, false),
                product("other-currency", "2", "USD", true, false),
                product("restocked", "120", "RUB", true, false),
                product("still-out", "50", "RUB", false, false),
                product("placeholder", "10", "RUB", true, false),
                product("new", "10", "RUB", true, false)));
        assertThat(changes).extracting(c -> c.kind() + ":" + c.after().id())
                .containsExactly("product.price_dropped:cheaper", "product.back_in_stock:restocked");
    }
}
