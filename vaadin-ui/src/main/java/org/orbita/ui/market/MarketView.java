package org.orbita.ui.market;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.UploadHandler;
import jakarta.annotation.security.PermitAll;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.orbita.audiences.RfmSegments;
import org.orbita.audiences.Segment;
import org.orbita.market.Market;
import org.orbita.market.Markets;
import org.orbita.market.ShopActivity;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;
import org.orbita.ui.UploadTexts;

/**
 * The market: the latest orders (an order's lines and status history on a click, any order found
 * by its id), the catalogue with its feed upload, and the settings — touchpoints, abandoned carts
 * and viewed products, the built-in RFM segments.
 */
@Route("market")
@PageTitle("Orbita — market")
@PermitAll
public class MarketView extends VerticalLayout {

    private final Markets market;
    private final ShopActivity shop;
    private final RfmSegments rfm;
    private final ClientDatabases databases;
    private final CurrentUser user;
    private final Grid<Market.Order> orders = new Grid<>();
    private final Grid<Market.Product> products = new Grid<>();
    private final Span counts = new Span();

    public MarketView(Markets market, ShopActivity shop, RfmSegments rfm, ClientDatabases databases, CurrentUser user) {
        this.market = market;
        this.shop = shop;
        this.rfm = rfm;
        this.databases = databases;
        this.user = user;
        counts.setId("market-counts");
        TabSheet tabs = new TabSheet();
        tabs.setWidthFull();
        tabs.add(getTranslation("market.orders"), ordersTab());
        tabs.add(getTranslation("market.products"), productsTab());
        tabs.add(getTranslation("market.settings"), settingsTab());
        add(PageHeader.of(getTranslation("market.title")), PageHeader.help(getTranslation("market.help")), counts, tabs);
        reload();
    }

    private void reload() {
        String ws = user.workspaceId();
        long[] n = market.counts(ws);
        counts.setText(getTranslation("market.counts", n[0], n[1]));
        orders.setItems(market.latestOrders(ws, 200));
        products.setItems(market.products(ws, null, 500));
    }

    private Component ordersTab() {
        TextField find = new TextField();
        find.setId("market-find-order");
        find.setPlaceholder(getTranslation("market.findOrder"));
        find.setPrefixComponent(VaadinIcon.SEARCH.create());
        find.addValueChangeListener(e -> {
            String id = e.getValue().strip();
            if (!id.isEmpty()) {
                market.order(user.workspaceId(), id).ifPresentOrElse(this::openOrder,
                        () -> Problems.show(new org.orbita.common.InvalidInputException("order", id, getTranslation("market.noSuchOrder"))));
            }
        });
        orders.setId("market-orders");
        orders.addThemeVariants(GridVariant.LUMO_COMPACT);
        orders.addColumn(Market.Order::id).setHeader(getTranslation("card.orders.id")).setAutoWidth(true);
        orders.addColumn(o -> ProfileText.instant(o.created(), getLocale())).setHeader(getTranslation("card.orders.created")).setAutoWidth(true);
        orders.addColumn(this::status).setHeader(getTranslation("card.orders.status")).setAutoWidth(true);
        orders.addColumn(o -> o.total().toPlainString() + " " + o.currency()).setHeader(getTranslation("card.orders.total")).setAutoWidth(true);
        orders.addColumn(o -> String.valueOf(o.lines().size())).setHeader(getTranslation("card.orders.lines")).setAutoWidth(true);
        orders.addColumn(o -> databases.find(o.databaseId()).map(ClientDatabase::name).orElse(o.databaseId()) + " · " + o.profileId())
                .setHeader(getTranslation("market.buyer")).setFlexGrow(2);
        orders.addItemClickListener(e -> openOrder(e.getItem()));
        orders.setEmptyStateText(getTranslation("market.noOrders"));
        orders.setAllRowsVisible(true);
        Upload upload = upload("market-orders-upload", (name, in) -> {
            Markets.Report r = market.importOrderFile(user.workspaceId(), name, in);
            return () -> getTranslation("market.ordersImported", r.created(), r.updated(), r.unchanged(), r.received() - r.created() - r.updated()
                    - r.unchanged(), r.rejected().isEmpty() ? "" : getTranslation("market.firstRefused", r.rejected().get(0).index(),
                    r.rejected().get(0).errors().get(0).rule()));
        }, ".csv", ".txt", ".xlsx");
        Paragraph help = new Paragraph(getTranslation("market.ordersFileHelp"));
        help.setVisible(user.may("market:write"));
        return new VerticalLayout(find, orders, help, upload);
    }

    private String status(Market.Order o) {
        return getTranslation("market.status." + o.status()) + (o.customStatus() == null ? "" : " · " + o.customStatus());
    }

    private void openOrder(Market.Order o) {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("market.order", o.id()));
        Grid<Market.Line> lines = new Grid<>();
        lines.setId("market-order-lines");
        lines.addThemeVariants(GridVariant.LUMO_COMPACT);
        lines.addColumn(l -> l.name() == null ? l.productId() : l.name()).setHeader(getTranslation("market.product")).setFlexGrow(2);
        lines.addColumn(l -> l.skuId() == null ? "" : l.skuId()).setHeader(getTranslation("market.sku")).setAutoWidth(true);
        lines.addColumn(l -> l.quantity().toPlainString()).setHeader(getTranslation("market.quantity")).setAutoWidth(true);
        lines.addColumn(l -> l.amount().toPlainString()).setHeader(getTranslation("card.orders.total")).setAutoWidth(true);
        lines.setItems(o.lines());
        lines.setAllRowsVisible(true);
        Grid<Market.StatusChange> history = new Grid<>();
        history.setId("market-order-history");
        history.addThemeVariants(GridVariant.LUMO_COMPACT);
        history.addColumn(h -> ProfileText.instant(h.at(), getLocale())).setHeader(getTranslation("market.when")).setAutoWidth(true);
        history.addColumn(h -> getTranslation("market.status." + h.to()) + (h.customStatus() == null ? "" : " · " + h.customStatus()))
                .setHeader(getTranslation("card.orders.status")).setAutoWidth(true);
        history.addColumn(h -> h.applied() ? "" : getTranslation("market.late")).setHeader("").setFlexGrow(2);
        history.setItems(market.history(user.workspaceId(), o.id()));
        history.setAllRowsVisible(true);
        d.add(new Paragraph(status(o) + " · " + o.total().toPlainString() + " " + o.currency() + " · "
                + ProfileText.instant(o.created(), getLocale())), lines, history);
        d.setWidth("min(760px, 95vw)");
        d.getFooter().add(new Button(getTranslation("market.close"), e -> d.close()));
        d.open();
    }

    private interface FileImport {
        /** Imports; the message saying what it did is made on the UI's thread. */
        java.util.function.Supplier<String> run(String fileName, InputStream in) throws IOException;
    }

    /** An upload that imports the file it receives and tells what it did (or the problem); shown to those who may write. */
    private Upload upload(String id, FileImport work, String... types) {
        Upload upload = new Upload(UploadHandler.toTempFile((metadata, tempFile) -> {
            try (InputStream in = Files.newInputStream(tempFile.toPath())) {
                java.util.function.Supplier<String> done = work.run(metadata.fileName(), in);
                getUI().ifPresent(ui -> ui.access(() -> {
                    Problems.success(done.get());
                    reload();
                }));
            } catch (RuntimeException e) {
                getUI().ifPresent(ui -> ui.access(() -> Problems.show(e)));
            } finally {
                Files.deleteIfExists(tempFile.toPath());
            }
        }));
        upload.setId(id);
        upload.setAcceptedFileTypes(types);
        upload.setI18n(UploadTexts.of(this::getTranslation));
        upload.setVisible(user.may("market:write"));
        return upload;
    }

    private Component productsTab() {
        Upload upload = upload("market-feed-upload", (name, in) -> {
            Markets.CatalogReport r = market.importFeed(user.workspaceId(), name, in);
            return () -> getTranslation("market.imported", r.products(), r.categories(), r.rejected().size());
        }, ".xml", ".yml", ".csv", ".txt", ".xlsx");
        products.setId("market-products");
        products.addThemeVariants(GridVariant.LUMO_COMPACT);
        products.addColumn(Market.Product::id).setHeader(getTranslation("market.productId")).setAutoWidth(true);
        products.addColumn(p -> p.placeholder() ? getTranslation("market.placeholder") : p.name()).setHeader(getTranslation("market.product"))
                .setFlexGrow(3);
        products.addColumn(p -> p.price() == null ? "" : p.price().toPlainString() + (p.currency() == null ? "" : " " + p.currency()))
                .setHeader(getTranslation("market.price")).setAutoWidth(true);
        products.addColumn(p -> getTranslation(p.available() ? "market.inStock" : "market.outOfStock")).setHeader(getTranslation("market.stock"))
                .setAutoWidth(true);
        products.setEmptyStateText(getTranslation("market.noProducts"));
        products.setAllRowsVisible(true);
        return new VerticalLayout(new Paragraph(getTranslation("market.feedHelp")), upload, products);
    }

    private Component settingsTab() {
        boolean writes = user.may("market:write");
        String ws = user.workspaceId();
        List<ClientDatabase> dbs = databases.list(ws);

        Grid<Market.Touchpoint> touchpoints = new Grid<>();
        touchpoints.setId("market-touchpoints");
        touchpoints.addThemeVariants(GridVariant.LUMO_COMPACT);
        touchpoints.addColumn(Market.Touchpoint::id).setHeader(getTranslation("market.touchpointId")).setAutoWidth(true);
        touchpoints.addColumn(Market.Touchpoint::name).setHeader(getTranslation("market.touchpointName")).setFlexGrow(2);
        touchpoints.addColumn(t -> databases.find(t.databaseId()).map(ClientDatabase::name).orElse(t.databaseId()))
                .setHeader(getTranslation("market.database")).setAutoWidth(true);
        touchpoints.setItems(market.touchpoints(ws));
        touchpoints.setAllRowsVisible(true);
        touchpoints.setEmptyStateText(getTranslation("market.noTouchpoints"));
        TextField tpId = new TextField(getTranslation("market.touchpointId"));
        tpId.setId("market-touchpoint-id");
        TextField tpName = new TextField(getTranslation("market.touchpointName"));
        tpName.setId("market-touchpoint-name");
        Select<ClientDatabase> tpDb = databaseSelect(dbs, "market-touchpoint-db");
        Button addTp = new Button(getTranslation("market.addTouchpoint"), VaadinIcon.PLUS.create(), e -> {
            try {
                market.saveTouchpoint(ws, new Market.Touchpoint(tpId.getValue(), tpName.getValue(), tpDb.getValue() == null ? null : tpDb.getValue().id()));
                touchpoints.setItems(market.touchpoints(ws));
                tpId.clear();
                tpName.clear();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        addTp.setId("market-add-touchpoint");
        addTp.setEnabled(writes);
        HorizontalLayout newTp = new HorizontalLayout(tpId, tpName, tpDb, addTp);
        newTp.setAlignItems(Alignment.BASELINE);
        newTp.setWrap(true);

        ShopActivity.Settings s = shop.settings(ws);
        IntegerField minutes = new IntegerField(getTranslation("market.cartMinutes"));
        minutes.setId("market-cart-minutes");
        minutes.setValue(s.cartAbandonedMinutes());
        minutes.setHelperText(getTranslation("market.cartMinutesHelp"));
        IntegerField days = new IntegerField(getTranslation("market.viewedDays"));
        days.setId("market-viewed-days");
        days.setValue(s.viewedDays());
        days.setHelperText(getTranslation("market.viewedDaysHelp"));
        Button save = new Button(getTranslation("market.save"), e -> {
            try {
                shop.saveSettings(ws, new ShopActivity.Settings(ws, minutes.getValue() == null ? 0 : minutes.getValue(),
                        days.getValue() == null ? 0 : days.getValue()));
                Problems.success(getTranslation("market.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("market-save-settings");
        save.setEnabled(writes);
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FormLayout activity = new FormLayout(minutes, days);

        Select<ClientDatabase> rfmDb = databaseSelect(dbs, "market-rfm-db");
        Paragraph built = new Paragraph();
        built.setId("market-rfm-result");
        Button build = new Button(getTranslation("market.rfmBuild"), VaadinIcon.GROUP.create(), e -> {
            try {
                RfmSegments.Built b = rfm.build(ws, rfmDb.getValue() == null ? null : rfmDb.getValue().id());
                RfmSegments.Thresholds t = b.thresholds();
                built.setText(getTranslation("market.rfmBuilt", t.buyers(), t.recentDays(), t.lapsedDays(), t.frequentOrders(),
                        t.bigSpend().toPlainString(), String.join(", ", b.segments().stream().map(Segment::name).toList())));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        build.setId("market-rfm-build");
        build.setEnabled(user.may("segments:write"));
        HorizontalLayout rfmRow = new HorizontalLayout(rfmDb, build);
        rfmRow.setAlignItems(Alignment.BASELINE);
        rfmRow.setWrap(true);

        return new VerticalLayout(new H3(getTranslation("market.touchpoints")), new Paragraph(getTranslation("market.touchpointsHelp")),
                touchpoints, newTp,
                new H3(getTranslation("market.activity")), new Paragraph(getTranslation("market.activityHelp")), activity, save,
                new H3(getTranslation("market.rfm")), new Paragraph(getTranslation("market.rfmHelp")), rfmRow, built);
    }

    private Select<ClientDatabase> databaseSelect(List<ClientDatabase> dbs, String id) {
        Select<ClientDatabase> db = new Select<>();
        db.setId(id);
        db.setLabel(getTranslation("market.database"));
        db.setItems(dbs);
        db.setItemLabelGenerator(ClientDatabase::name);
        if (!dbs.isEmpty()) {
            db.setValue(dbs.get(0));
        }
        return db;
    }
}
