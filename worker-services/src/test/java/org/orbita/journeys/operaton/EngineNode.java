package org.orbita.journeys.operaton;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.runtime.JourneyEngine;
import org.orbita.journeys.runtime.JourneyEngineContract;

/**
 * One node of a multi-node test, as its own process: an Operaton engine on the shared
 * PostgreSQL database, the contract's journey deployed, each node's work noted in the table
 * {@code calls} (instance, element, this node's name). Prints "ready" once its job executor
 * runs; "start N" on its standard input starts N instances here; stops when its input closes.
 * Run: {@code EngineNode <jdbc url> <user> <node name>}.
 */
public final class EngineNode {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String name = args[2];
        try (Connection db = DriverManager.getConnection(url, user, "");
             JourneyEngine engine = OperatonEngine.start(url, user, "", 4)) {
            long key = engine.deploy(JourneyEngineContract.journey());
            JourneyEngine.Worker note = job -> {
                synchronized (db) {
                    try (PreparedStatement ps = db.prepareStatement("INSERT INTO calls (instance, element, node) VALUES (?, ?, ?)")) {
                        ps.setLong(1, job.instanceKey());
                        ps.setString(2, job.elementId());
                        ps.setString(3, name);
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        throw new IllegalStateException("the call was not noted", e);
                    }
                }
                return job.elementId().equals("vip") ? Map.of("branch", "no") : Map.of();
            };
            engine.worker("orbita.send-message", note);
            engine.worker("orbita.check-condition", note);
            engine.worker(JourneyBpmn.STEP_JOB_TYPE, job -> Map.of());
            System.out.println("ready");
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("start ")) { // start N instances of the journey here
                        int n = Integer.parseInt(line.substring(6).strip());
                        List<CompletableFuture<Long>> started = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            started.add(engine.startAsync(key, new HashMap<>(Map.of("profileId", name + i))).toCompletableFuture());
                        }
                        started.forEach(CompletableFuture::join);
                        System.out.println("started");
                        System.out.flush();
                    }
                }
            }
        }
    }

    private EngineNode() {}
}
