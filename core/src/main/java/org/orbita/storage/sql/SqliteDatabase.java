package org.orbita.storage.sql;

import org.orbita.storage.sqlite.SqliteConnections;

/** The embedded SQLite file as a {@link SqlDatabase}: its one writer, its readers. */
public final class SqliteDatabase implements SqlDatabase {

    private final SqliteConnections sqlite;

    public SqliteDatabase(SqliteConnections sqlite) {
        this.sqlite = sqlite;
    }

    @Override
    public <T> T write(Work<T> work) {
        Object[] out = {null};
        sqlite.write(c -> out[0] = work.run(c));
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }

    @Override
    public <T> T read(Work<T> work) {
        return sqlite.read(work::run);
    }

    @Override
    public String engine() {
        return "sqlite";
    }
}
