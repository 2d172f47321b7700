package org.orbita.profiles.exports;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.Json;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.Subscription;
import org.orbita.tabular.TableExport;

/**
 * Writes every profile of a database to CSV (UTF-8 with BOM, so spreadsheet programs read
 * it right) or XLSX, page by page: memory stays flat however large the database.
 */
public final class ProfileExport {

    public static final List<String> FORMATS = TableExport.FORMATS;

    private final ProfileStore store;
    private final Access access;

    public ProfileExport(ProfileStore store, Access access) {
        this.store = store;
        this.access = access;
    }

    /**
     * Checks that the one asking may export a whole database ({@code profiles:export}) and records
     * the export in the audit log — before anything is written, so a refused download starts none.
     */
    public void allowDatabase(ClientDatabase db, String format) {
        access.require(Resource.PROFILES, Action.EXPORT);
        access.changed(Resource.PROFILES, Action.EXPORT, db.id(), null, java.util.Map.of("database", db.id(), "format", checkFormat(format)));
    }

    /** The same for a segment's members ({@code segments:export}). */
    public void allowSegment(String segmentId, String format) {
        access.require(Resource.SEGMENTS, Action.EXPORT);
        access.changed(Resource.SEGMENTS, Action.EXPORT, segmentId, null, java.util.Map.of("segment", segmentId, "format", checkFormat(format)));
    }

    public static String checkFormat(String format) {
        return TableExport.checkFormat(format);
    }

    /** The column names of an export of this database. */
    public static List<String> columns(ClientDatabase db) {
        List<String> columns = new ArrayList<>(List.of("id"));
        db.schema().fields().forEach(f -> columns.add(f.name()));
        columns.addAll(List.of("subscriptions", "status", "created", "updated"));
        return columns;
    }

    static List<String> cells(ClientDatabase db, Profile p) {
        List<String> cells = new ArrayList<>();
        cells.add(p.id());
        for (FieldDefinition f : db.schema().fields()) {
            Object v = p.field(f.name());
            cells.add(v == null ? "" : v instanceof String s ? s
                    : v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)
                            ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
                            : v instanceof Number || v instanceof Boolean ? String.valueOf(v) : Json.write(v));
        }
        cells.add(p.subscriptions().stream().map(ProfileExport::subscription).collect(Collectors.joining(";")));
        cells.add(p.status().id());
        cells.add(p.created().toString());
        cells.add(p.updated().toString());
        return cells;
    }

    private static String subscription(Subscription s) {
        return s.channel().id() + ":" + s.address() + (s.resource().equals(Subscription.DEFAULT_RESOURCE) ? "" : "@" + s.resource())
                + (s.status() == Subscription.Status.ACTIVE ? "" : "(" + s.status().id() + ")");
    }

    /** Writes the export of a whole database; returns the number of profiles written. */
    public long write(ClientDatabase db, String format, OutputStream out) throws IOException {
        return write(db, format, out, action -> store.forEach(db.id(), action));
    }

    /**
     * Writes the export of the profiles a source hands over one by one (a segment's members,
     * say); returns the number written.
     */
    public long write(ClientDatabase db, String format, OutputStream out, Source source) throws IOException {
        return TableExport.write(format, db.name(), columns(db), out,
                rows -> TableExport.unchecked(() -> source.forEach(p -> TableExport.add(rows, cells(db, p)))));
    }

    /** Hands profiles to an action, one at a time, in a stable order. */
    @FunctionalInterface
    public interface Source {
        void forEach(Consumer<Profile> action);
    }
}
