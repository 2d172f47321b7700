package org.orbita.journeys.zeebe;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.net.URI;

/** Zeebe's in-process engine (test scope only: it is under Camunda's licence), behind a {@link ZeebeEngine}. */
public final class ZeebeInProcess {

    private ZeebeInProcess() {}

    public static ZeebeEngine start() {
        ZeebeTestEngine engine = EngineFactory.create();
        engine.start();
        return ZeebeEngine.on(URI.create("http://" + engine.getGatewayAddress()), engine::stop, engine::increaseTime);
    }
}
