package org.orbita.testing;

/** The PostgreSQL the tests use as an outside database (127.0.0.1:5432, trust auth, database test), or the one the environment names. */
public final class LocalPostgres {

    public static final String URL = System.getenv().getOrDefault("ORBITA_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("ORBITA_TEST_POSTGRES_USER", "postgres");

    private LocalPostgres() {}
}
