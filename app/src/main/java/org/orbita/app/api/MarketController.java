package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.audiences.RfmSegments;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.market.Market;
import org.orbita.market.Markets;
import org.orbita.market.ShopActivity;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@Tag(name = "Market", description = "Touchpoints, the catalogue (products, SKUs, categories; YML and Google Merchant feeds) and orders, shaped like"
        + " Altcraft's market/orders/import and products/import")
class MarketController {

    private final Markets market;
    private final ShopActivity shop;
    private final RfmSegments rfm;
    private final ApiContext context;

    MarketController(Markets market, ShopActivity shop, RfmSegments rfm, ApiContext context) {
        this.market = market;
        this.shop = shop;
        this.rfm = rfm;
        this.context = context;
    }

    @GetMapping("/api/v1/market/settings")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    ShopActivity.Settings settings() {
        return shop.settings(context.workspaceId());
    }

    @PutMapping("/api/v1/market/settings")
    @PreAuthorize("hasAuthority('SCOPE_market:write')")
    @Operation(summary = "When a cart counts as abandoned (cartAbandonedMinutes, 15–10080) and how recent a view must be to hear of a price drop"
            + " or a restock (viewedDays, 1–365)")
    ShopActivity.Settings saveSettings(@RequestBody ShopActivity.Settings in) {
        return shop.saveSettings(context.workspaceId(), in);
    }

    record RfmRequest(String database) {}

    @PostMapping("/api/v1/market/rfm")
    @PreAuthorize("hasAuthority('SCOPE_segments:write') and hasAuthority('SCOPE_market:read')")
    @Operation(summary = "Build (or rebuild) the database's RFM segments — Champions, Loyal, New, Needs attention, At risk, Lost — their"
            + " thresholds from its buyers' orders: {database} → {thresholds, segments}")
    RfmSegments.Built rfm(@RequestBody RfmRequest in) {
        if (in == null || in.database() == null || in.database().isBlank()) {
            throw new InvalidInputException("database", null, "is required: the client database whose buyers are grouped");
        }
        return rfm.build(context.workspaceId(), context.database(in.database()).id());
    }

    @GetMapping("/api/v1/databases/{db}/profiles/{profileId}/cart")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    @Operation(summary = "A profile's cart as its site's add_to_cart / remove_from_cart events left it (what templates see as cart)")
    Map<String, Object> cart(@PathVariable String db, @PathVariable String profileId) {
        return shop.cart(context.workspaceId(), context.database(db).id(), profileId);
    }

    @GetMapping("/api/v1/market/touchpoints")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    List<Market.Touchpoint> touchpoints() {
        return market.touchpoints(context.workspaceId());
    }

    @PostMapping("/api/v1/market/touchpoints")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_market:write')")
    @Operation(summary = "Make or change a touchpoint (a sales channel): {id, name, databaseId} — its buyers' client database")
    Market.Touchpoint saveTouchpoint(@RequestBody Market.Touchpoint t) {
        return market.saveTouchpoint(context.workspaceId(), t);
    }

    @DeleteMapping("/api/v1/market/touchpoints/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_market:write')")
    void deleteTouchpoint(@PathVariable String id) {
        market.deleteTouchpoint(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/market/statuses")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    Map<String, Object> statuses() {
        return Map.of("statuses", Market.STATUSES, "map", market.statusMap(context.workspaceId()));
    }

    @PutMapping("/api/v1/market/statuses")
    @PreAuthorize("hasAuthority('SCOPE_market:write')")
    @Operation(summary = "Map the shop's own order statuses onto Orbita's (new, in_process, delivered, canceled, refunded): {\"shipped\": \"in_process\"}")
    Map<String, String> saveStatuses(@RequestBody Map<String, String> map) {
        return market.saveStatusMap(context.workspaceId(), map);
    }

    record Orders(List<Markets.OrderInput> orders) {}

    @PostMapping("/api/v1/market/orders")
    @PreAuthorize("hasAuthority('SCOPE_market:write')")
    @Operation(summary = "Import orders (≤ 10,000 a call), idempotent by id: {orders: [{id, touchpoint (or database), customer: {profileId} or"
            + " {matching, value}, status or customStatus, currency, total, created, statusAt, lines: [{product, sku, name, category, quantity, price,"
            + " amount}]}]} → created, updated, unchanged, profiles created, and each refused order by index with every problem")
    Markets.Report importOrders(@RequestBody Orders in) {
        if (in == null || in.orders() == null) {
            throw new InvalidInputException("orders", null, "a list of orders");
        }
        return market.importOrders(context.workspaceId(), in.orders());
    }

    @GetMapping("/api/v1/market/orders")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    @Operation(summary = "The latest orders, newest first (at most 1,000)")
    List<Market.Order> latestOrders(@RequestParam(defaultValue = "100") int limit) {
        return market.latestOrders(context.workspaceId(), limit);
    }

    @GetMapping("/api/v1/market/orders/{id}")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    @Operation(summary = "An order with its lines and the history of its statuses (late ones marked applied: false)")
    Map<String, Object> order(@PathVariable String id) {
        Market.Order o = market.order(context.workspaceId(), id).orElseThrow(() -> new NotFoundException("order", id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("order", o);
        out.put("history", market.history(context.workspaceId(), id));
        return out;
    }

    @GetMapping("/api/v1/databases/{db}/profiles/{profileId}/orders")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    @Operation(summary = "A profile's orders, newest first")
    List<Market.Order> ofProfile(@PathVariable String db, @PathVariable String profileId) {
        return market.ordersOf(context.workspaceId(), context.database(db).id(), profileId);
    }

    record Catalog(List<Market.Category> categories, List<Markets.ProductInput> products) {}

    @PostMapping(value = "/api/v1/market/products", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_market:write')")
    @Operation(summary = "Import products and categories (≤ 10,000 a call), idempotent by id: {categories: [{id, name, parentId}], products: [{id,"
            + " name, url, image, price, currency, category, vendor, available, skus: [{id, name, price, available}]}]}")
    Markets.CatalogReport importProducts(@RequestBody Catalog in) {
        return market.importCatalog(context.workspaceId(), in == null ? List.of() : in.categories(), in == null ? List.of() : in.products());
    }

    @PostMapping(value = "/api/v1/market/orders/file", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_market:write')")
    @Operation(summary = "Upload orders as a CSV or XLSX table: a header row, then a row per order line (an order's rows together) with the columns"
            + " order, touchpoint or database, profile_id or matching + value, status, custom_status, currency, total, created, status_at, product,"
            + " sku, name, category, quantity, price, amount — imported as POST /market/orders imports, 10,000 orders at a time; a refused order"
            + " is named by the row of its first line")
    Markets.Report orderFile(@RequestPart("file") MultipartFile file) throws IOException {
        if (file.isEmpty()) {
            throw new InvalidInputException("file", file.getOriginalFilename(), "is empty");
        }
        try (InputStream in = file.getInputStream()) {
            return market.importOrderFile(context.workspaceId(), file.getOriginalFilename(), in);
        }
    }

    @PostMapping(value = "/api/v1/market/feeds", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_market:write')")
    @Operation(summary = "Upload a product feed — Yandex Market YML, Google Merchant XML (RSS 2.0), or CSV/XLSX with columns id, name, price,"
            + " currency, category, url, image, vendor, available — read as a stream in batches of 5,000")
    Markets.CatalogReport feed(@RequestPart("file") MultipartFile file) throws IOException {
        if (file.isEmpty()) {
            throw new InvalidInputException("file", file.getOriginalFilename(), "is empty");
        }
        try (InputStream in = file.getInputStream()) {
            return market.importFeed(context.workspaceId(), file.getOriginalFilename(), in);
        }
    }

    @GetMapping("/api/v1/market/products")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    @Operation(summary = "Products in id order after 'after' (placeholders too: products an order named before the catalogue had them)")
    List<Market.Product> products(@RequestParam(required = false) String after, @RequestParam(defaultValue = "100") int limit) {
        return market.products(context.workspaceId(), after, limit);
    }

    @GetMapping("/api/v1/market/products/{id}")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    Map<String, Object> product(@PathVariable String id) {
        Market.Product p = market.product(context.workspaceId(), id);
        return Map.of("product", p, "skus", market.store().skus(context.workspaceId(), id));
    }

    @GetMapping("/api/v1/market/categories")
    @PreAuthorize("hasAuthority('SCOPE_market:read')")
    List<Market.Category> categories() {
        return market.categories(context.workspaceId());
    }
}
