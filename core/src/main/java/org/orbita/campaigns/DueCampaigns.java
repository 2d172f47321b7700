package org.orbita.campaigns;

import org.orbita.jobs.JobRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The thread that starts scheduled campaigns when their time comes (checked every 5 seconds). */
public final class DueCampaigns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DueCampaigns.class);

    private final Thread thread;

    public DueCampaigns(Campaigns campaigns, JobRunner runner) {
        thread = Thread.ofPlatform().name("campaigns-due").daemon(true).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(5_000);
                    for (Campaigns.Launch l : campaigns.startDue()) {
                        log.info("scheduled campaign {} started as run {}", l.campaign().id(), l.job().id());
                        runner.submit(l.job());
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("starting due campaigns failed; trying again in 5 s", e);
                }
            }
        });
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
