package org.orbita.market;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.orbita.market.Market.Category;
import org.orbita.market.Markets.ProductInput;
import org.orbita.tabular.RowSource;

/**
 * The product feeds shops already export, read as a stream (bounded memory whatever the size) and
 * handed on in batches: Yandex Market's YML ({@code yml_catalog/shop/categories, offers}), Google
 * Merchant Center's RSS 2.0 feed (items with {@code g:} fields), and a CSV/XLSX table (columns
 * {@code id, name, price, currency, category, url, image, vendor, available}). XML is read without
 * DTDs or external entities. A product whose price is no number is refused into {@code refused}
 * (by its place in the feed: the offer's number, or the table's line).
 */
public final class ProductFeeds {

    public static final int BATCH = 5_000;
    private static final String GOOGLE = "http://base.google.com/ns/1.0";

    private ProductFeeds() {}

    /** Reads an XML feed — YML or Google Merchant, told by its root element. */
    public static void readXml(InputStream in, BiConsumer<List<Category>, List<ProductInput>> batches, List<Markets.Rejected> refused)
            throws IOException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        try {
            XMLStreamReader r = f.createXMLStreamReader(in);
            while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                // to the root element
            }
            if (!r.isStartElement()) {
                throw new IOException("the file has no XML element");
            }
            String root = r.getLocalName();
            if (root.equals("yml_catalog")) {
                yml(r, batches, refused);
            } else if (root.equals("rss") || root.equals("feed")) {
                google(r, batches, refused);
            } else {
                throw new IOException("not a product feed: the root element is <" + root + ">, not <yml_catalog> (YML) or <rss> (Google Merchant)");
            }
        } catch (XMLStreamException e) {
            throw new IOException("the feed is not well-formed XML (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNumber()) + ")");
        }
    }

    private static void yml(XMLStreamReader r, BiConsumer<List<Category>, List<ProductInput>> batches, List<Markets.Rejected> refused)
            throws XMLStreamException {
        int seen = 0;
        List<Category> categories = new ArrayList<>();
        List<ProductInput> products = new ArrayList<>();
        while (r.hasNext()) {
            int e = r.next();
            if (e != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            if (r.getLocalName().equals("category")) {
                String id = r.getAttributeValue(null, "id");
                String parent = r.getAttributeValue(null, "parentId");
                categories.add(new Category(id, r.getElementText().strip(), parent));
            } else if (r.getLocalName().equals("offer")) {
                String id = r.getAttributeValue(null, "id");
                String available = r.getAttributeValue(null, "available");
                String name = null;
                String url = null;
                String picture = null;
                String price = null;
                String currency = null;
                String category = null;
                String vendor = null;
                String model = null;
                while (r.hasNext()) {
                    int x = r.next();
                    if (x == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("offer")) {
                        break;
                    }
                    if (x != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    switch (r.getLocalName()) {
                        case "name" -> name = r.getElementText().strip();
                        case "model" -> model = r.getElementText().strip();
                        case "url" -> url = r.getElementText().strip();
                        case "picture" -> picture = picture == null ? r.getElementText().strip() : skip(r, picture);
                        case "price" -> price = r.getElementText().strip();
                        case "currencyId" -> currency = r.getElementText().strip();
                        case "categoryId" -> category = r.getElementText().strip();
                        case "vendor" -> vendor = r.getElementText().strip();
                        default -> {
                            // fields Orbita does not keep (description, params…) are read past
                        }
                    }
                }
                ProductInput p = product(id, name != null ? name : model, url, picture, price, currency, category, vendor,
                        available == null || !available.equals("false"), refused, seen++);
                if (p != null) {
                    products.add(p);
                }
            }
            flush(categories, products, batches, false);
        }
        flush(categories, products, batches, true);
    }

    private static String skip(XMLStreamReader r, String kept) throws XMLStreamException {
        r.getElementText();
        return kept;
    }

    private static void google(XMLStreamReader r, BiConsumer<List<Category>, List<ProductInput>> batches, List<Markets.Rejected> refused)
            throws XMLStreamException {
        int seen = 0;
        List<ProductInput> products = new ArrayList<>();
        while (r.hasNext()) {
            int e = r.next();
            if (e != XMLStreamConstants.START_ELEMENT || !(r.getLocalName().equals("item") || r.getLocalName().equals("entry"))) {
                continue;
            }
            String end = r.getLocalName();
            String id = null;
            String title = null;
            String link = null;
            String image = null;
            String price = null;
            String salePrice = null;
            String type = null;
            String brand = null;
            String availability = null;
            while (r.hasNext()) {
                int x = r.next();
                if (x == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals(end) && !GOOGLE.equals(r.getNamespaceURI())) {
                    break;
                }
                if (x != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                boolean g = GOOGLE.equals(r.getNamespaceURI());
                switch (r.getLocalName()) {
                    case "id" -> id = r.getElementText().strip();
                    case "title" -> title = r.getElementText().strip();
                    case "link" -> link = g || r.getAttributeValue(null, "href") == null ? r.getElementText().strip() : r.getAttributeValue(null, "href");
                    case "image_link" -> image = r.getElementText().strip();
                    case "price" -> price = r.getElementText().strip();
                    case "sale_price" -> salePrice = r.getElementText().strip();
                    case "product_type", "google_product_category" -> type = type == null ? r.getElementText().strip() : skip(r, type);
                    case "brand" -> brand = r.getElementText().strip();
                    case "availability" -> availability = r.getElementText().strip();
                    default -> {
                        // other attributes (description, gtin, shipping…) are read past
                    }
                }
            }
            String[] amount = money(salePrice != null ? salePrice : price);
            ProductInput p = product(id, title, link, image, amount[0], amount[1], categoryOf(type), brand,
                    availability == null || availability.toLowerCase(Locale.ROOT).replace('_', ' ').equals("in stock"), refused, seen++);
            if (p != null) {
                products.add(p);
            }
            flush(new ArrayList<>(), products, batches, false);
        }
        flush(new ArrayList<>(), products, batches, true);
    }

    /** A Google product type's last level ("Apparel > Shoes > Running" → "Running"), as a category id. */
    private static String categoryOf(String type) {
        if (type == null || type.isBlank()) {
            return null;
        }
        String last = type.contains(">") ? type.substring(type.lastIndexOf('>') + 1) : type;
        return last.strip().replaceAll("[^A-Za-z0-9_.:/-]+", "-");
    }

    /** "15.00 USD" → {"15.00", "USD"}. */
    private static String[] money(String text) {
        if (text == null || text.isBlank()) {
            return new String[] {null, null};
        }
        String[] parts = text.strip().split("\\s+");
        return parts.length > 1 ? new String[] {parts[0], parts[1]} : new String[] {parts[0], null};
    }

    /** A price as the feed writes it ("1990.50", "1990,50"); text that is no number is an {@link IllegalArgumentException} naming it. */
    private static BigDecimal decimal(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.strip().replace(',', '.'));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("price '" + text.strip() + "' is not a number");
        }
    }

    /** A product the feed describes, or — when its price is no number — the product refused with why. */
    private static ProductInput product(String id, String name, String url, String image, String price, String currency, String category,
                                        String vendor, boolean available, List<Markets.Rejected> refused, int index) {
        try {
            return new ProductInput(id, name, url, image, decimal(price), currency, category, vendor, available, null);
        } catch (IllegalArgumentException e) {
            refused.add(new Markets.Rejected(index, id, List.of(org.orbita.common.FieldError.of("price", price, "a number (" + e.getMessage() + ")"))));
            return null;
        }
    }

    private static void flush(List<Category> categories, List<ProductInput> products, BiConsumer<List<Category>, List<ProductInput>> batches,
                              boolean last) {
        if (categories.size() + products.size() >= BATCH || (last && categories.size() + products.size() > 0)) {
            batches.accept(new ArrayList<>(categories), new ArrayList<>(products));
            categories.clear();
            products.clear();
        }
    }

    /** A table of products: a header row naming the columns, then one product a row. */
    public static void readTable(RowSource rows, BiConsumer<List<Category>, List<ProductInput>> batches, List<Markets.Rejected> refused)
            throws IOException {
        @SuppressWarnings("unchecked")
        List<String>[] header = new List[1];
        List<ProductInput> products = new ArrayList<>();
        rows.read((line, cells, problem) -> {
            if (header[0] == null) {
                header[0] = cells.stream().map(c -> c == null ? "" : c.strip().toLowerCase(Locale.ROOT)).toList();
                return true;
            }
            ProductInput p = product(cell(header[0], cells, "id"), cell(header[0], cells, "name"), cell(header[0], cells, "url"),
                    cell(header[0], cells, "image"), cell(header[0], cells, "price"), cell(header[0], cells, "currency"),
                    cell(header[0], cells, "category"), cell(header[0], cells, "vendor"),
                    !"false".equalsIgnoreCase(cell(header[0], cells, "available")) && !"0".equals(cell(header[0], cells, "available")), refused,
                    (int) line);
            if (p != null) {
                products.add(p);
            }
            flush(new ArrayList<>(), products, batches, false);
            return true;
        });
        flush(new ArrayList<>(), products, batches, true);
    }

    private static String cell(List<String> header, List<String> cells, String name) {
        int i = header.indexOf(name);
        if (i < 0 || i >= cells.size() || cells.get(i) == null || cells.get(i).isBlank()) {
            return null;
        }
        return cells.get(i).strip();
    }
}
