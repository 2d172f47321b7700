package org.orbita.app.jobs;

import java.util.Map;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.audiences.SegmentJobs;
import org.orbita.campaigns.CampaignRun;
import org.orbita.jobs.JobRunner;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ProfileCopy;
import org.orbita.profiles.imports.ProfileImport;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The job runner with a handler per job kind; interrupted jobs resume once the app is ready. */
@Configuration(proxyBeanMethods = false)
class JobConfiguration {

    @Bean(destroyMethod = "close")
    JobRunner jobRunner(Jobs jobs, ProfileImport imports, ProfileCopy copies, SegmentJobs segmentJobs,
                        CampaignRun campaigns, OrbitaProperties props) {
        return new JobRunner(jobs, Map.of(ProfileImport.KIND, imports::run, ProfileCopy.KIND, copies::run, SegmentJobs.KIND, segmentJobs::run,
                CampaignRun.KIND, campaigns::run),
                props.imports().workers());
    }

    @Bean
    ResumeJobs resumeJobs(JobRunner runner) {
        return new ResumeJobs(runner);
    }

    /** Resumes at start what a stop or crash interrupted. */
    static final class ResumeJobs {
        private final JobRunner runner;

        ResumeJobs(JobRunner runner) {
            this.runner = runner;
        }

        @EventListener(ApplicationReadyEvent.class)
        public void resume() {
            runner.resumeUnfinished();
        }
    }
}
