package org.orbita.app;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.spring.annotation.EnableVaadin;
import com.vaadin.flow.theme.Theme;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.mongo.MongoDataAutoConfiguration;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Orbita control server: REST API, web UI, jobs, with embedded engines by default. */
@SpringBootApplication(scanBasePackages = {"org.orbita.app", "org.orbita.ui"},
        exclude = {MongoAutoConfiguration.class, MongoDataAutoConfiguration.class})
@ConfigurationPropertiesScan
@EnableVaadin({"org.orbita.ui", "org.orbita.app"})
@Meta(name = "viewport", content = "width=device-width, initial-scale=1")
@Theme("orbita")
public class OrbitaApplication implements AppShellConfigurator {

    /**
     * Starts the server; a start that fails exits at once with status 1 (Spring has logged
     * why), instead of lingering on threads a half-started context left behind.
     */
    public static void main(String[] args) {
        try {
            SpringApplication.run(OrbitaApplication.class, args);
        } catch (SpringApplication.AbandonedRunException abandoned) {
            throw abandoned; // build tools that stop a run on purpose (AOT processing)
        } catch (RuntimeException | Error failed) {
            System.exit(1);
        }
    }
}
