package org.orbita.ui.campaigns;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.timepicker.TimePicker;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbita.access.Access;
import org.orbita.access.Resource;
import org.orbita.audiences.Segment;
import org.orbita.audiences.Segments;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.CampaignRun;
import org.orbita.campaigns.CampaignStats;
import org.orbita.campaigns.Campaigns;
import org.orbita.campaigns.LaunchCheck;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.groups.Groups;
import org.orbita.jobs.Job;
import org.orbita.jobs.JobRunner;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendLedger;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.GroupsSlot;
import org.orbita.ui.Narrow;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.sending.SkipWords;

/**
 * One campaign, in the order it is made: audience (database, segments, exclusions) → message
 * and channels → when → save or launch; once launched, its run (progress and what the ledger
 * says: queued, skipped, failed), refreshed while it sends.
 *
 * <p>Longer than the ~400 lines we aim for: one page whose steps (audience, message, when, limits,
 * run) share the draft being edited.
 */
@Route("campaigns/:id")
@PageTitle("Orbita — campaign")
@PermitAll
public class CampaignEditorView extends VerticalLayout implements BeforeEnterObserver {

    private final GroupsSlot groupsSlot;

    public static final String NEW = "new";

    private final Campaigns campaigns;
    private final ClientDatabases databases;
    private final Segments segments;
    private final Messages messages;
    private final Jobs jobs;
    private final JobRunner runner;
    private final SendLedger ledger;
    private final EventLog events;
    private final CurrentUser user;
    private final CampaignRun sender;

    private final TextField name = new TextField();
    private final ComboBox<ClientDatabase> database = new ComboBox<>();
    private final MultiSelectComboBox<Segment> include = new MultiSelectComboBox<>();
    private final MultiSelectComboBox<Segment> exclude = new MultiSelectComboBox<>();
    private final ComboBox<Message> message = new ComboBox<>();
    private final CheckboxGroup<String> channels = new CheckboxGroup<>();
    private final TextField resource = new TextField();
    private final RadioButtonGroup<String> when = new RadioButtonGroup<>();
    private final DateTimePicker sendAt = new DateTimePicker();
    private final TextField cron = new TextField();
    private final TextField triggerEvent = new TextField();
    private final IntegerField capMax = new IntegerField();
    private final IntegerField capDays = new IntegerField();
    private final TimePicker quietFrom = new TimePicker();
    private final TimePicker quietTo = new TimePicker();
    private final TextField quietZone = new TextField();
    private final IntegerField perMinute = new IntegerField();
    private final IntegerField perHour = new IntegerField();
    private final IntegerField perDay = new IntegerField();
    private final IntegerField warmFirst = new IntegerField();
    private final NumberField warmGrowth = new NumberField();
    private final ComboBox<ClientDatabase> observers = new ComboBox<>();
    private final Button test = new Button();
    private final Button approve = new Button();
    private final Span approval = new Span();
    private final Span status = new Span();
    private final VerticalLayout run = new VerticalLayout();
    private final Button save = new Button();
    private final Button launch = new Button();
    private final LaunchCheck launchCheck;
    private final Button cancel = new Button();
    private Campaign current;

    public CampaignEditorView(Campaigns campaigns, ClientDatabases databases, Segments segments, Messages messages, Jobs jobs, JobRunner runner,
                              SendLedger ledger, EventLog events, CurrentUser user, CampaignRun sender, LaunchCheck launchCheck,
                              Groups groups, Access access) {
        this.groupsSlot = new GroupsSlot(groups, access, user);
        this.launchCheck = launchCheck;
        this.events = events;
        this.sender = sender;
        this.campaigns = campaigns;
        this.databases = databases;
        this.segments = segments;
        this.messages = messages;
        this.jobs = jobs;
        this.runner = runner;
        this.ledger = ledger;
        this.user = user;
        name.setId("campaign-name");
        name.setLabel(getTranslation("campaigns.name"));
        name.setWidth("min(28em, 100%)");
        database.setId("campaign-database");
        database.setLabel(getTranslation("campaigns.database"));
        database.setItemLabelGenerator(ClientDatabase::name);
        database.setItems(databases.list(user.workspaceId()));
        database.addValueChangeListener(e -> audienceChoices());
        include.setId("campaign-segments");
        include.setLabel(getTranslation("campaigns.segments"));
        include.setItemLabelGenerator(Segment::name);
        include.setWidth("min(28em, 100%)");
        exclude.setId("campaign-exclude");
        exclude.setLabel(getTranslation("campaigns.exclude"));
        exclude.setItemLabelGenerator(Segment::name);
        exclude.setWidth("min(28em, 100%)");
        message.setId("campaign-message");
        message.setLabel(getTranslation("campaigns.message"));
        message.setItemLabelGenerator(m -> m.name() + " (" + String.join(", ", m.channels()) + ")");
        message.setItems(messages.list(user.workspaceId()));
        message.setWidth("min(28em, 100%)");
        channels.setId("campaign-channels");
        channels.setLabel(getTranslation("campaigns.channels"));
        channels.setItems(campaigns.channels().stream().sorted().toList());
        channels.setItemLabelGenerator(c -> getTranslation("messages.channel." + c));
        channels.setValue(Set.of("email"));
        resource.setId("campaign-resource");
        resource.setLabel(getTranslation("campaigns.resource"));
        resource.setHelperText(getTranslation("campaigns.resource.help"));
        when.setId("campaign-when");
        when.setLabel(getTranslation("campaigns.when"));
        when.setItems("now", "at", "schedule", "trigger");
        when.setItemLabelGenerator(w -> getTranslation("campaigns.when." + w));
        when.setValue("now");
        sendAt.setId("campaign-send-at");
        sendAt.setVisible(false);
        cron.setId("campaign-cron");
        cron.setLabel(getTranslation("campaigns.cron"));
        cron.setHelperText(getTranslation("campaigns.cron.help"));
        cron.setVisible(false);
        triggerEvent.setId("campaign-trigger");
        triggerEvent.setLabel(getTranslation("campaigns.trigger"));
        triggerEvent.setHelperText(getTranslation("campaigns.trigger.help"));
        triggerEvent.setVisible(false);
        when.addValueChangeListener(e -> {
            sendAt.setVisible("at".equals(e.getValue()));
            cron.setVisible("schedule".equals(e.getValue()));
            triggerEvent.setVisible("trigger".equals(e.getValue()));
        });
        capMax.setId("campaign-cap-max");
        capMax.setLabel(getTranslation("campaigns.cap.max"));
        capMax.setMin(1);
        capMax.setWidth("min(14em, 100%)");
        capDays.setId("campaign-cap-days");
        capDays.setLabel(getTranslation("campaigns.cap.days"));
        capDays.setMin(1);
        quietFrom.setId("campaign-quiet-from");
        quietFrom.setLabel(getTranslation("campaigns.quiet.from"));
        quietTo.setId("campaign-quiet-to");
        quietTo.setLabel(getTranslation("campaigns.quiet.to"));
        quietZone.setId("campaign-quiet-zone");
        quietZone.setLabel(getTranslation("campaigns.quiet.zone"));
        quietZone.setHelperText(getTranslation("campaigns.quiet.zone.help"));
        quietZone.setPlaceholder("UTC");
        perMinute.setId("campaign-rate-minute");
        perMinute.setLabel(getTranslation("campaigns.rate.minute"));
        perHour.setId("campaign-rate-hour");
        perHour.setLabel(getTranslation("campaigns.rate.hour"));
        perDay.setId("campaign-rate-day");
        perDay.setLabel(getTranslation("campaigns.rate.day"));
        for (var f : List.of(perMinute, perHour, perDay)) {
            f.setMin(0);
            f.setWidth("12em");
        }
        warmFirst.setId("campaign-warmup-first");
        warmFirst.setLabel(getTranslation("campaigns.warmup.first"));
        warmFirst.setMin(1);
        warmGrowth.setId("campaign-warmup-growth");
        warmGrowth.setLabel(getTranslation("campaigns.warmup.growth"));
        warmGrowth.setMin(1);
        warmGrowth.setMax(10);
        warmGrowth.setStep(0.1);
        observers.setId("campaign-observers");
        observers.setLabel(getTranslation("campaigns.observers"));
        observers.setHelperText(getTranslation("campaigns.observers.help"));
        observers.setItemLabelGenerator(ClientDatabase::name);
        observers.setItems(databases.list(user.workspaceId()));
        observers.setClearButtonVisible(true);
        test.setText(getTranslation("campaigns.test"));
        test.setId("campaign-test");
        test.addClickListener(e -> {
            Campaign saved = save();
            if (saved == null) {
                return;
            }
            try {
                Problems.success(getTranslation("campaigns.test.sent", sender.sendTest(user.workspaceId(), saved.id())));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        approve.setText(getTranslation("campaigns.approve"));
        approve.setId("campaign-approve");
        approve.addClickListener(e -> {
            Campaign saved = save();
            if (saved == null) {
                return;
            }
            try {
                campaigns.approve(user.workspaceId(), saved.id(), user.email());
                show(campaigns.get(user.workspaceId(), saved.id()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        approval.setId("campaign-approval");
        status.setId("campaign-status");
        run.setId("campaign-run");
        run.setPadding(false);

        save.setText(getTranslation("campaigns.save"));
        save.setId("campaign-save");
        save.addClickListener(e -> save());
        launch.setText(getTranslation("campaigns.launch"));
        launch.setId("campaign-launch");
        launch.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        launch.addClickListener(e -> launch());
        cancel.setText(getTranslation("campaigns.cancel"));
        cancel.setId("campaign-cancel");
        cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
        cancel.addClickListener(e -> {
            try {
                show(campaigns.cancel(user.workspaceId(), current.id()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });

        HorizontalLayout actions = Narrow.row(save, approve, launch, cancel);
        actions.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(PageHeader.of(getTranslation("campaigns.campaign"), status), run, name, groupsSlot,
                new H3("1 · " + getTranslation("campaigns.step.audience")), Narrow.row(database), include, exclude,
                new H3("2 · " + getTranslation("campaigns.step.message")), message, channels, resource,
                new H3("3 · " + getTranslation("campaigns.step.when")), Narrow.row(when, sendAt, cron, triggerEvent),
                new H3("4 · " + getTranslation("campaigns.step.limits")), Narrow.row(capMax, capDays),
                Narrow.row(quietFrom, quietTo, quietZone), Narrow.row(perMinute, perHour, perDay),
                Narrow.row(warmFirst, warmGrowth),
                new H3("5 · " + getTranslation("campaigns.step.test")), withButton(observers, test), approval, actions);
        addAttachListener(e -> e.getUI().setPollInterval(1000));
        addDetachListener(e -> e.getUI().setPollInterval(-1));
        addAttachListener(e -> e.getUI().addPollListener(p -> {
            if (current != null && current.status() == Campaign.Status.SENDING) {
                campaigns.find(user.workspaceId(), current.id()).ifPresent(this::show);
            }
        }));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String id = event.getRouteParameters().get("id").orElse(NEW);
        if (NEW.equals(id)) {
            current = null;
            status.setText(getTranslation("campaigns.status.draft"));
            launch.setEnabled(true);
            cancel.setVisible(false);
            return;
        }
        Optional<Campaign> c = campaigns.find(user.workspaceId(), id);
        if (c.isEmpty()) {
            event.forwardTo(CampaignsView.class);
            return;
        }
        fill(c.get());
        show(c.get());
    }

    private void audienceChoices() {
        ClientDatabase db = database.getValue();
        List<Segment> of = db == null ? List.of() : segments.ofDatabase(db.id());
        include.setItems(of);
        exclude.setItems(of);
    }

    private void fill(Campaign c) {
        name.setValue(c.name());
        databases.find(c.database()).ifPresent(database::setValue);
        audienceChoices();
        include.setValue(pick(c.segments()));
        exclude.setValue(pick(c.excludeSegments()));
        messages.find(user.workspaceId(), c.messageId()).ifPresent(message::setValue);
        channels.setValue(new LinkedHashSet<>(c.channels()));
        resource.setValue(c.resource() == null ? "" : c.resource());
        when.setValue(c.type() == Campaign.Kind.TRIGGER ? "trigger" : c.type() == Campaign.Kind.REGULAR ? "schedule" : c.sendAt() == null ? "now" : "at");
        cron.setValue(c.cron() == null ? "" : c.cron());
        triggerEvent.setValue(c.trigger() == null || c.trigger().event() == null ? "" : c.trigger().event());
        Campaign.Frequency f = c.limits() == null ? null : c.limits().frequency();
        capMax.setValue(f == null ? null : f.max());
        capDays.setValue(f == null ? null : f.days());
        if (c.sendAt() != null) {
            sendAt.setValue(c.sendAt().atZone(ZoneId.systemDefault()).toLocalDateTime());
        }
        Campaign.QuietHours q = c.limits() == null ? null : c.limits().quietHours();
        quietFrom.setValue(q == null ? null : q.from());
        quietTo.setValue(q == null ? null : q.to());
        quietZone.setValue(q == null || q.timezone() == null ? "" : q.timezone());
        Campaign.Rate r = c.limits() == null ? null : c.limits().rate();
        perMinute.setValue(r == null || r.perMinute() == 0 ? null : r.perMinute());
        perHour.setValue(r == null || r.perHour() == 0 ? null : r.perHour());
        perDay.setValue(r == null || r.perDay() == 0 ? null : r.perDay());
        Campaign.Warmup w = c.limits() == null ? null : c.limits().warmup();
        warmFirst.setValue(w == null ? null : w.firstDay());
        warmGrowth.setValue(w == null ? null : w.growth());
        observers.setValue(c.observers() == null ? null : databases.find(c.observers()).orElse(null));
    }

    private static HorizontalLayout withButton(Component field, Button button) {
        HorizontalLayout row = Narrow.row(field, button);
        row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return row;
    }

    private Set<Segment> pick(List<String> ids) {
        Set<Segment> out = new LinkedHashSet<>();
        ids.forEach(id -> segments.find(id).ifPresent(out::add));
        return out;
    }

    private Campaign draft() {
        Campaign.Kind type = switch (when.getValue() == null ? "now" : when.getValue()) {
            case "schedule" -> Campaign.Kind.REGULAR;
            case "trigger" -> Campaign.Kind.TRIGGER;
            default -> Campaign.Kind.ONE_TIME;
        };
        Campaign.Limits kept = current == null ? null : current.limits();
        Campaign.Frequency cap = capMax.getValue() == null && capDays.getValue() == null ? null
                : new Campaign.Frequency(capMax.getValue() == null ? 0 : capMax.getValue(), capDays.getValue() == null ? 0 : capDays.getValue());
        Campaign.QuietHours quiet = quietFrom.getValue() == null && quietTo.getValue() == null ? null
                : new Campaign.QuietHours(quietFrom.getValue(), quietTo.getValue(),
                        kept == null || kept.quietHours() == null ? null : kept.quietHours().timezoneField(),
                        quietZone.getValue().isBlank() ? null : quietZone.getValue().strip());
        Campaign.Rate rate = perMinute.getValue() == null && perHour.getValue() == null && perDay.getValue() == null ? null
                : new Campaign.Rate(orZero(perMinute.getValue()), orZero(perHour.getValue()), orZero(perDay.getValue()));
        Campaign.Warmup warmup = warmFirst.getValue() == null && warmGrowth.getValue() == null ? null
                : new Campaign.Warmup(orZero(warmFirst.getValue()), warmGrowth.getValue() == null ? 1 : warmGrowth.getValue());
        Campaign.Limits limits = cap == null && quiet == null && rate == null && warmup == null ? null : new Campaign.Limits(cap, quiet, rate, warmup);
        return new Campaign(null, user.workspaceId(), name.getValue(), type,
                database.getValue() == null ? null : database.getValue().id(),
                include.getValue().stream().map(Segment::id).toList(), exclude.getValue().stream().map(Segment::id).toList(),
                message.getValue() == null ? null : message.getValue().id(), List.copyOf(channels.getValue()),
                resource.getValue().isBlank() ? null : resource.getValue().strip(),
                "at".equals(when.getValue()) && sendAt.getValue() != null ? sendAt.getValue().atZone(ZoneId.systemDefault()).toInstant() : null,
                null, null, null, null, limits, current == null ? null : current.abTest(),
                type == Campaign.Kind.REGULAR ? cron.getValue().strip() : null,
                type == Campaign.Kind.TRIGGER ? new Campaign.Trigger(triggerEvent.getValue().strip(), null) : null,
                observers.getValue() == null ? null : observers.getValue().id(), current == null ? null : current.local(), current == null ? null : current.conversion());
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    private Campaign save() {
        try {
            Campaign saved = current == null ? campaigns.create(user.workspaceId(), draft())
                    : campaigns.update(user.workspaceId(), current.id(), draft());
            Problems.success(getTranslation("campaigns.saved", saved.name()));
            if (current == null) {
                current = saved;
                getUI().ifPresent(ui -> ui.navigate(CampaignEditorView.class, new RouteParameters("id", saved.id())));
            }
            show(saved);
            return saved;
        } catch (RuntimeException ex) {
            Problems.show(ex);
            return null;
        }
    }

    /** Launch asks first: the audience, what each channel reaches, who is skipped and why, what cannot deliver. */
    private void launch() {
        Campaign saved = current != null && current.status() == Campaign.Status.FAILED ? current : save();
        if (saved == null) {
            return;
        }
        if (saved.status() == Campaign.Status.FAILED) {
            start(saved); // a failed run goes on where it stopped: nothing new to confirm
            return;
        }
        LaunchCheck.Summary s;
        try {
            s = launchCheck.check(saved);
        } catch (RuntimeException ex) {
            Problems.show(ex);
            return;
        }
        Dialog dialog = new Dialog();
        dialog.setId("campaign-launch-dialog");
        dialog.setHeaderTitle(getTranslation("campaigns.check.title"));
        VerticalLayout body = new VerticalLayout();
        body.setPadding(false);
        body.setSpacing(false);
        body.add(new Span(saved.type() == Campaign.Kind.TRIGGER ? getTranslation("campaigns.check.trigger")
                : s.estimated() ? getTranslation("campaigns.check.audience.estimated", s.profiles(), s.examined())
                : getTranslation("campaigns.check.audience", s.profiles())));
        s.reachable().forEach((channel, n) -> body.add(new Span(getTranslation("campaigns.check.reachable",
                getTranslation("messages.channel." + channel), n))));
        s.skipped().forEach((why, n) -> body.add(new Span(getTranslation("campaigns.check.skipped", n, SkipWords.say(why, this::getTranslation)))));
        for (LaunchCheck.Warning w : s.warnings()) {
            Span warning = new Span("⚠ " + getTranslation("campaigns.check.warning." + w.code(),
                    w.channel() == null ? "" : getTranslation("messages.channel." + w.channel())));
            warning.getStyle().set("color", "var(--lumo-error-text-color)");
            body.add(warning);
        }
        dialog.add(body);
        Button confirm = new Button(getTranslation("campaigns.launch"), e -> {
            dialog.close();
            start(saved);
        });
        confirm.setId("campaign-launch-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), confirm);
        dialog.open();
    }

    private void start(Campaign saved) {
        try {
            Campaigns.Launch l = campaigns.launch(user.workspaceId(), saved.id());
            if (l.job() != null) {
                runner.submit(l.job());
            }
            show(l.campaign());
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    private void show(Campaign c) {
        current = c;
        groupsSlot.show(Resource.CAMPAIGNS, c.id());
        status.setText(getTranslation("campaigns.status." + c.status().id()));
        approval.setText(campaigns.approval(user.workspaceId(), c.id())
                .map(a -> getTranslation(a.campaignUpdated().equals(c.updated()) || c.status() != Campaign.Status.DRAFT
                        ? "campaigns.approved" : "campaigns.approved.stale", a.by(), a.at().atZone(ZoneId.systemDefault()).toLocalDateTime()
                        .withNano(0).toString().replace('T', ' '), a.audience())).orElse(""));
        boolean editable = c.status() == Campaign.Status.DRAFT || c.status() == Campaign.Status.SCHEDULED;
        save.setEnabled(editable);
        for (HasValue<?, ?> field : List.<HasValue<?, ?>>of(name, database, include, exclude,
                message, channels, resource, when, sendAt, cron, triggerEvent, capMax, capDays)) {
            field.setReadOnly(!editable);
        }
        launch.setEnabled(editable || c.status() == Campaign.Status.FAILED);
        cancel.setVisible(c.status() == Campaign.Status.SCHEDULED || c.status() == Campaign.Status.SENDING);
        run.removeAll();
        if (c.runId() == null) {
            return;
        }
        Optional<Job> job = jobs.find(c.runId());
        Map<String, Long> counts = ledger.countByState(c.runId());
        Span progress = new Span(getTranslation("campaigns.progress", job.map(Job::processed).orElse(0L),
                counts.getOrDefault(LedgerState.QUEUED.id(), 0L), counts.getOrDefault(LedgerState.SKIPPED.id(), 0L), counts.getOrDefault(LedgerState.FAILED.id(), 0L)));
        progress.setId("campaign-progress");
        CampaignStats st = CampaignStats.of(events, c);
        Span stats = new Span(getTranslation("campaigns.stats", st.sent(), st.delivered(), st.bounced(), st.hardBounced(), st.uniqueOpened(),
                String.format(getLocale(), "%.1f", st.openRate() * 100), st.machineOpened(), st.uniqueClicked(),
                String.format(getLocale(), "%.1f", st.clickRate() * 100), st.unsubscribed(), st.complained(), st.converted(), st.revenue().toPlainString()));
        stats.setId("campaign-stats");
        run.add(new H3(getTranslation("campaigns.run")), progress, stats);
        job.map(Job::error).filter(e -> e != null && !e.isBlank()).ifPresent(e -> run.add(new Span(e)));
    }
}
