package org.orbita.queues;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;

/**
 * Apache Qpid Broker-J in this process, speaking AMQP 0-9-1 on loopback, for one-machine
 * installs. Plain login needs {@code secureOnlyMechanisms: []} on loopback.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Where the broker keeps its messages. */
    public enum Store {
        /** As long as the process lives. */
        MEMORY("Memory"),
        /** On disk (Berkeley DB Java Edition): a confirmed message survives the process being killed. */
        BDB("BDB"),
        /** On disk (Apache Derby). */
        DERBY("DERBY");

        final String type;

        Store(String type) {
            this.type = type;
        }
    }

    private final SystemLauncher launcher = new SystemLauncher();
    private final int port;

    public EmbeddedBroker(Path workDir, int port, String user, String password) {
        this(workDir, port, user, password, Store.MEMORY);
    }

    public EmbeddedBroker(Path workDir, int port, String user, String password, Store store) {
        this.port = port;
        try {
            Files.createDirectories(workDir);
            Path config = workDir.resolve("qpid-initial-config.json");
            Files.writeString(config, config(user, password, store), StandardCharsets.UTF_8);
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "Memory");
            attributes.put("initialConfigurationLocation", config.toUri().toString());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put("context", Map.of("qpid.work_dir", workDir.toAbsolutePath().toString(),
                    "qpid.amqp_port", Integer.toString(port)));
            launcher.startup(attributes);
        } catch (IOException e) {
            throw new QueueException("cannot prepare the embedded broker in " + workDir, e);
        } catch (Exception e) {
            throw new QueueException("the embedded broker did not start on port " + port, e);
        }
    }

    public int port() {
        return port;
    }

    private static String config(String user, String password, Store store) {
        String u = user.replace("\"", "");
        String p = password.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {
                  "name": "orbita",
                  "modelVersion": "7.0",
                  "authenticationproviders": [ {
                    "name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
                    "users": [ { "name": "%s", "type": "managed", "password": "%s" } ]
                  } ],
                  "ports": [ {
                    "name": "AMQP", "port": "${qpid.amqp_port}", "bindingAddress": "127.0.0.1",
                    "authenticationProvider": "plain", "protocols": [ "AMQP_0_9_1" ],
                    "virtualhostaliases": [ { "name": "nameAlias", "type": "nameAlias" },
                                            { "name": "defaultAlias", "type": "defaultAlias" } ]
                  } ],
                  "virtualhostnodes": [ {
                    "name": "default", "type": "%3$s", "defaultVirtualHostNode": "true",%4$s
                    "virtualHostInitialConfiguration": "{\\"type\\": \\"%3$s\\"%5$s}"
                  } ]
                }
                """.formatted(u, p, store.type,
                store == Store.MEMORY ? "" : "\n\"storePath\": \"${qpid.work_dir}/node\",",
                store == Store.MEMORY ? "" : ", \\\"storePath\\\": \\\"${qpid.work_dir}/messages\\\"");
    }

    @Override
    public void close() {
        launcher.shutdown();
    }
}
