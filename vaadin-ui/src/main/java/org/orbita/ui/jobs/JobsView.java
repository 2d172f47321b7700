package org.orbita.ui.jobs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import org.orbita.jobs.Job;
import org.orbita.jobs.Jobs;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.ProfileText;

/** The workspace's recent jobs with their progress and outcome. */
@Route("jobs")
@PageTitle("Orbita — jobs")
@PermitAll
public class JobsView extends VerticalLayout {

    public JobsView(Jobs jobs, CurrentUser user) {
        Grid<Job> grid = new Grid<>();
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(j -> ProfileText.instant(j.created(), getLocale())).setHeader(getTranslation("jobs.created")).setAutoWidth(true);
        grid.addColumn(j -> getTranslation("jobs.kind." + j.kind())).setHeader(getTranslation("jobs.kind"));
        grid.addColumn(j -> String.valueOf(j.params().getOrDefault("databaseId", ""))).setHeader(getTranslation("jobs.database"));
        grid.addColumn(j -> getTranslation("jobs.status." + j.status().id())).setHeader(getTranslation("jobs.status"));
        grid.addColumn(Job::processed).setHeader(getTranslation("jobs.processed"));
        grid.addColumn(Job::succeeded).setHeader(getTranslation("jobs.succeeded"));
        grid.addColumn(Job::failed).setHeader(getTranslation("jobs.failed"));
        grid.addColumn(j -> j.error() == null ? "" : j.error()).setHeader(getTranslation("jobs.error")).setFlexGrow(2);
        Runnable refresh = () -> grid.setItems(jobs.list(user.workspaceId(), 200));
        grid.addComponentColumn(j -> {
            if (j.finishedRunning()) {
                return new Span();
            }
            Button cancel = new Button(getTranslation("jobs.cancel"), e -> {
                jobs.cancel(user.workspaceId(), j.id());
                Notification.show(getTranslation("jobs.cancel.asked"));
                refresh.run();
            });
            cancel.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
            cancel.setEnabled(j.cancelRequested() == null);
            return cancel;
        }).setAutoWidth(true).setFlexGrow(0).setFrozenToEnd(true);
        Button reload = new Button(VaadinIcon.REFRESH.create(), e -> refresh.run());
        reload.setAriaLabel(getTranslation("common.refresh"));
        refresh.run();
        add(new HorizontalLayout(new H2(getTranslation("jobs.title")), reload), grid);
        setSizeFull();
    }
}
