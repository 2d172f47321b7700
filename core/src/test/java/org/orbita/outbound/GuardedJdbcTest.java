package org.orbita.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.orbita.common.FieldError;
import org.orbita.outbound.GuardedJdbc;
import org.orbita.outbound.NetworkGuard;

/**
 * Connections to user-typed database URLs stay off this machine and private networks: every
 * host of a multi-host URL, the address actually connected (a rebinding name server gains
 * nothing), and no driver parameter that loads a class or reads a file.
 */
class GuardedJdbcTest {

    private final GuardedJdbc guarded = new GuardedJdbc(new NetworkGuard(false, List.of()));

    private static Properties postgres() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        return p;
    }

    @Test
    void everyHostOfAMultiHostUrlIsChecked() {
        // the probe: a first host that does not answer, then this machine's PostgreSQL as superuser
        String url = "jdbc:postgresql://192.0.2.1:5432,127.0.0.1:5432/test";
        assertThatThrownBy(() -> guarded.open(url, postgres())).isInstanceOf(SecurityException.class)
                .hasMessageContaining("127.0.0.1").hasMessageContaining("loopback or private");
        assertThat(guarded.refusal("jdbcUrl", "jdbc:mariadb://192.0.2.7:3306,[::1]:3306/x")).get()
                .extracting(FieldError::rule).asString().contains("loopback or private");
    }

    @Test
    void theAddressActuallyConnectedIsCheckedToo() throws Exception {
        // the name passes the check as 192.0.2.10, then resolves to 127.0.0.1 for the driver
        assertThatThrownBy(() -> guarded.open("jdbc:postgresql://pg.rebind.test:5432/test", postgres()))
                .isInstanceOf(SecurityException.class).hasMessageContaining("127.0.0.1");
        Properties root = new Properties();
        root.setProperty("user", "root");
        assertThatThrownBy(() -> guarded.open("jdbc:mariadb://maria.rebind.test:3306/mysql", root))
                .isInstanceOf(SecurityException.class).hasMessageContaining("127.0.0.1");

        // the same way in, with this machine allowed, reaches the server: the guard, not the network, refused above
        GuardedJdbc allowed = new GuardedJdbc(new NetworkGuard(false, List.of("127.0.0.1")));
        try (Connection c = allowed.open("jdbc:postgresql://127.0.0.1:5432/test", postgres());
                ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        try (Connection c = allowed.open("jdbc:mariadb://127.0.0.1:3306/mysql", root);
                ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void driverParametersThatLoadClassesOrReadFilesAreRefusedByName() {
        for (String parameter : List.of("socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext",
                "sslfactory=x.Y", "sslhostnameverifier=x.Y", "loggerFile=/tmp/x", "loggerLevel=TRACE", "sslrootcert=/etc/passwd",
                "sslkey=/etc/shadow", "authenticationPluginClassName=x", "localSocketAddress=127.0.0.1")) {
            String url = "jdbc:postgresql://db.example.com/app?sslmode=require&" + parameter;
            assertThat(GuardedJdbc.problems("jdbcUrl", url)).as(parameter).extracting(FieldError::rule).anyMatch(r ->
                    r.contains("'" + parameter.substring(0, parameter.indexOf('=')) + "' is not allowed"));
        }
        for (String parameter : List.of("allowLoadLocalInfile=true", "allowLocalInfile=true", "localSocket=/run/mysqld/mysqld.sock",
                "pipe=x", "socketFactory=x.Y", "restrictedAuth=x")) {
            String url = "jdbc:mariadb://db.example.com/app?" + parameter;
            assertThat(GuardedJdbc.problems("jdbcUrl", url)).as(parameter).isNotEmpty();
        }
        assertThat(GuardedJdbc.problems("jdbcUrl", "jdbc:postgresql://db.example.com:5432/app?sslmode=require&ApplicationName=orbita")).isEmpty();
    }

    @Test
    void urlsThatHideTheirHostAreRefused() {
        for (String url : List.of("jdbc:postgresql:///test", "jdbc:postgresql:test", "jdbc:h2:mem:", "jdbc:mariadb://address=(host=127.0.0.1)(port=3306)/x",
                "jdbc:mariadb://user:pw@db.example.com/x", "jdbc:postgresql://[::1/x", "jdbc:postgresql://db.example.com:54x32/x")) {
            assertThat(GuardedJdbc.problems("jdbcUrl", url)).as(url).isNotEmpty();
        }
    }
}
