package org.orbita.webhooks.store;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.webhooks.WebhookStore;
import org.orbita.testing.PostgresTestDatabase;

/** The webhooks' outbox on PostgreSQL, as production runs it (a database of its own per test). */
class PostgresWebhookStoreTest extends WebhookStoreContract {

    private PostgresTestDatabase database;
    private WebhookStore store;

    @BeforeEach
    void open() throws SQLException {
        database = new PostgresTestDatabase("orbita_webhooks_");
        store = new SqlWebhookStore(database.db());
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }

    @Override
    protected WebhookStore store() {
        return store;
    }
}
