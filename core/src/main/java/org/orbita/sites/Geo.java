package org.orbita.sites;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a website hit came from, by its address, in a MaxMind-format database the administrator
 * provides ({@code orbita.sites.geo-database}: GeoLite2 / GeoIP2 City or Country, or any database
 * of that shape): {@code country} (ISO code), {@code city} and {@code region} (English names).
 * Looked up from the full address before it is anonymised; without a database, nothing.
 */
public final class Geo implements AutoCloseable {

    private static final Geo NONE = new Geo(null);

    private final Reader reader;

    private Geo(Reader reader) {
        this.reader = reader;
    }

    public static Geo none() {
        return NONE;
    }

    /** A database file; one that is missing or not a MaxMind database fails the start with its reason. */
    public static Geo open(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("orbita.sites.geo-database: " + file + " cannot be read");
        }
        try {
            return new Geo(new Reader(file.toFile(), new CHMCache()));
        } catch (IOException e) {
            throw new UncheckedIOException("orbita.sites.geo-database: " + file + " is not a MaxMind-format database", e);
        }
    }

    /** The place of an address (empty when unknown or without a database). */
    public Map<String, Object> locate(String ip) {
        Map<String, Object> place = new LinkedHashMap<>();
        if (reader == null || ip == null || !ip.matches("[0-9a-fA-F:.]{2,45}")) {
            return place;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = reader.get(InetAddress.getByName(ip), Map.class);
            if (record == null) {
                return place;
            }
            Object country = at(record, "country", "iso_code");
            if (country != null) {
                place.put("country", country);
            }
            Object city = at(record, "city", "names", "en");
            if (city != null) {
                place.put("city", city);
            }
            if (record.get("subdivisions") instanceof java.util.List<?> subdivisions && !subdivisions.isEmpty()
                    && subdivisions.get(0) instanceof Map<?, ?> first && first.get("names") instanceof Map<?, ?> names && names.get("en") != null) {
                place.put("region", names.get("en"));
            }
        } catch (UnknownHostException e) {
            return place; // not an address
        } catch (IOException e) {
            throw new UncheckedIOException("the geo database could not be read", e);
        }
        return place;
    }

    private static Object at(Map<?, ?> record, String... path) {
        Object node = record;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(key);
        }
        return node;
    }

    @Override
    public void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
