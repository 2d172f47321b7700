package org.orbita.mobile.store;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.mobile.DeviceRegistry;
import org.orbita.testing.PostgresTestDatabase;

/** The device registry on PostgreSQL, as production runs it (a database of its own per test). */
class PostgresDeviceRegistryTest extends DeviceRegistryContract {

    private PostgresTestDatabase database;
    private DeviceRegistry store;

    @BeforeEach
    void open() throws SQLException {
        database = new PostgresTestDatabase("orbita_devices_");
        store = new SqlDeviceRegistry(database.db());
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }

    @Override
    protected DeviceRegistry registry() {
        return store;
    }
}
