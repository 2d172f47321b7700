package org.orbita.ui.content;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.access.Access;
import org.orbita.access.Resource;
import org.orbita.audiences.Segments;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.RenderedMessage;
import org.orbita.content.SmsCount;
import org.orbita.groups.Groups;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.sending.MessageTests;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.GroupsSlot;
import org.orbita.ui.Narrow;
import org.orbita.ui.Problems;
import org.orbita.ui.sending.SkipWords;

/**
 * One message: a tab per channel (email with an HTML code editor or a block builder, SMS with
 * its segment counter, push, Telegram, webhook) beside a preview rendered for a chosen profile
 * and data, as the recipient's device would show it.
 *
 * <p>Longer than the ~400 lines we aim for: one page with a tab per channel and the preview they
 * share.
 */
@Route("messages/:id")
@PageTitle("Orbita — message")
@PermitAll
public class MessageEditorView extends VerticalLayout implements BeforeEnterObserver {

    private final GroupsSlot groupsSlot;

    static final String NEW = "new";
    private static final List<String> CHANNELS = List.of("email", "sms", "push", "telegram", "webhook");

    private final Messages messages;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final Segments segments;
    private final CurrentUser user;
    private Message message;
    private final Span meta = new Span();

    private final TextField name = new TextField();
    private final com.vaadin.flow.component.combobox.ComboBox<String> promoPool = new com.vaadin.flow.component.combobox.ComboBox<>();
    private final org.orbita.promo.PromoPools promo;
    private final Map<String, Checkbox> enabled = new LinkedHashMap<>();
    // email
    private final TextField subject = new TextField();
    private final TextField preheader = new TextField();
    private final TextField fromName = new TextField();
    private final TextField fromAddress = new TextField();
    private final TextField replyTo = new TextField();
    private final RadioButtonGroup<String> editorKind = new RadioButtonGroup<>();
    private final CodeEditor html = new CodeEditor("liquid-html", "480px");
    private BlockEditor blocks;
    private Runnable arrange;
    private final TextArea textPart = new TextArea();
    private final Checkbox inlineCss = new Checkbox();
    // sms
    private final TextArea smsText = new TextArea();
    private final TextField smsSender = new TextField();
    private final Span smsCount = new Span();
    // push
    private final TextField pushTitle = new TextField();
    private final TextArea pushBody = new TextArea();
    private final TextField pushImage = new TextField();
    private final TextField pushLink = new TextField();
    private final ButtonRows pushActions = new ButtonRows(Messages.MAX_PUSH_ACTIONS, false);
    // telegram
    private final TextArea telegramText = new TextArea();
    private final Select<String> parseMode = new Select<>();
    private final TextField telegramImage = new TextField();
    private final ButtonRows telegramButtons = new ButtonRows(6, true);
    // webhook
    private final Select<String> method = new Select<>();
    private final TextField webhookUrl = new TextField();
    private final TextArea webhookHeaders = new TextArea();
    private final CodeEditor webhookBody = new CodeEditor("liquid-json", "240px");
    // preview
    private final Select<ClientDatabase> previewDb = new Select<>();
    private final TextField previewProfile = new TextField();
    private final TextArea previewData = new TextArea();
    private final Select<String> previewChannel = new Select<>();
    private final MessagePreview preview = new MessagePreview();

    private final MessageTests tests;

    public MessageEditorView(Messages messages, ClientDatabases databases, ProfileStore profiles, Segments segments, CurrentUser user,
                             MessageTests tests, Groups groups, Access access, org.orbita.promo.PromoPools promo) {
        this.promo = promo;
        this.groupsSlot = new GroupsSlot(groups, access, user);
        this.tests = tests;
        this.messages = messages;
        this.databases = databases;
        this.profiles = profiles;
        this.segments = segments;
        this.user = user;
        setSizeFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String id = event.getRouteParameters().get("id").orElse(NEW);
        message = NEW.equals(id) ? null : messages.find(user.workspaceId(), id).orElse(null);
        if (message == null && !NEW.equals(id)) {
            event.forwardTo(MessagesView.class);
            return;
        }
        build();
        fill(message);
    }

    private void build() {
        removeAll();
        H2 title = new H2(message == null ? getTranslation("messages.new") : message.name());
        title.setId("message-title");
        showMeta();
        meta.setId("message-meta");
        meta.getStyle().set("color", "var(--lumo-secondary-text-color)");
        Button save = new Button(getTranslation("messages.save"), VaadinIcon.CHECK.create(), e -> save());
        save.setId("save-message");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout actions = new HorizontalLayout(save);
        if (message != null) {
            Button test = new Button(getTranslation("messages.test"), VaadinIcon.PAPERPLANE.create(), e -> openTest());
            test.setId("test-message");
            actions.add(test);
            Button delete = new Button(getTranslation("messages.delete"), VaadinIcon.TRASH.create(), e -> Confirm.destructive("confirm-delete-message",
                    getTranslation("messages.delete.confirm.title", message.name()), getTranslation("messages.delete.confirm.text"),
                    getTranslation("messages.delete"), getTranslation("common.cancel"), () -> {
                        messages.delete(user.workspaceId(), message.id());
                        getUI().ifPresent(ui -> ui.navigate(MessagesView.class));
                    }));
            delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            actions.add(delete);
        }
        actions.getStyle().set("flex-wrap", "wrap");
        HorizontalLayout header = new HorizontalLayout(new VerticalLayout(title, meta), actions);
        header.getStyle().set("flex-wrap", "wrap");
        header.setWidthFull();
        header.setAlignItems(Alignment.CENTER);
        header.expand(header.getComponentAt(0));
        ((VerticalLayout) header.getComponentAt(0)).setPadding(false);
        ((VerticalLayout) header.getComponentAt(0)).setSpacing(false);

        name.setLabel(getTranslation("messages.name"));
        name.setId("message-name");
        name.setWidth("min(100%, 480px)");
        TabSheet tabs = new TabSheet();
        tabs.setId("channel-tabs");
        tabs.setWidthFull();
        tabs.add(getTranslation("messages.channel.email"), channel("email", emailForm()));
        tabs.add(getTranslation("messages.channel.sms"), channel("sms", smsForm()));
        tabs.add(getTranslation("messages.channel.push"), channel("push", pushForm()));
        tabs.add(getTranslation("messages.channel.telegram"), channel("telegram", telegramForm()));
        tabs.add(getTranslation("messages.channel.webhook"), channel("webhook", webhookForm()));
        tabs.addSelectedChangeListener(e -> {
            previewChannel.setValue(CHANNELS.get(tabs.getSelectedIndex()));
            refresh();
        });
        groupsSlot.show(Resource.MESSAGES, message == null ? null : message.id());
        promoPool.setLabel(getTranslation("messages.promoPool"));
        promoPool.setId("message-promo-pool");
        promoPool.setHelperText(getTranslation("messages.promoPoolHelp"));
        promoPool.setPlaceholder(getTranslation("messages.promoPool.none"));
        promoPool.setClearButtonVisible(true);
        java.util.List<String> pools = new java.util.ArrayList<>();
        if (user.may("promo:read")) {
            promo.list(user.workspaceId()).forEach(p -> pools.add(p.id()));
        }
        if (message != null && message.promoPool() != null && !pools.contains(message.promoPool())) {
            pools.add(message.promoPool());
        }
        promoPool.setItems(pools);
        HorizontalLayout naming = new HorizontalLayout(name, promoPool);
        naming.getStyle().set("flex-wrap", "wrap");
        naming.setAlignItems(Alignment.BASELINE);
        VerticalLayout left = new VerticalLayout(naming, groupsSlot, tabs);
        left.setPadding(false);
        SplitLayout split = new SplitLayout(left, previewPanel());
        split.setSizeFull();
        split.setSplitterPosition(58);
        // the block builder needs the whole width: the preview goes below it meanwhile
        arrange = Narrow.stack(split, 58, () -> "blocks".equals(editorKind.getValue()));
        add(header, split);
        expand(split);
    }

    private void showMeta() {
        if (message == null) {
            meta.setText("");
            return;
        }
        Set<String> used = messages.snippetsUsed(message);
        meta.setText(getTranslation("messages.meta", message.version(), used.isEmpty() ? "—" : String.join(", ", used)));
    }

    private Component channel(String channel, Component form) {
        Checkbox on = new Checkbox(getTranslation("messages.useChannel"));
        on.setId("use-" + channel);
        on.addValueChangeListener(e -> {
            form.setVisible(e.getValue());
            if (e.isFromClient() && channel.equals(previewChannel.getValue())) {
                refresh();
            }
        });
        form.setVisible(false);
        enabled.put(channel, on);
        VerticalLayout v = new VerticalLayout(on, form);
        v.setPadding(false);
        return v;
    }

    private Component emailForm() {
        subject.setLabel(getTranslation("messages.email.subject"));
        subject.setId("email-subject");
        preheader.setLabel(getTranslation("messages.email.preheader"));
        fromName.setLabel(getTranslation("messages.email.fromName"));
        fromAddress.setLabel(getTranslation("messages.email.fromAddress"));
        fromAddress.setId("email-from");
        replyTo.setLabel(getTranslation("messages.email.replyTo"));
        for (TextField f : List.of(subject, preheader)) {
            f.setWidthFull();
        }
        editorKind.setLabel(getTranslation("messages.email.editor"));
        editorKind.setItems("code", "blocks");
        editorKind.setItemLabelGenerator(k -> getTranslation("messages.email.editor." + k));
        editorKind.setId("email-editor-kind");
        html.setId("email-html");
        html.addValueChangeListener(e -> {
            if ("email".equals(previewChannel.getValue()) && e.isFromClient()) {
                refresh();
            }
        });
        blocks = new BlockEditor((h, project) -> {
            html.setValue(h);
            if ("email".equals(previewChannel.getValue())) {
                refresh();
            }
        });
        blocks.setId("email-blocks");
        blocks.setVisible(false);
        editorKind.addValueChangeListener(e -> {
            boolean code = "code".equals(e.getValue());
            html.setVisible(code);
            blocks.setVisible(!code);
            if (arrange != null) {
                arrange.run();
            }
            if (!code && e.isFromClient()) {
                blocks.load(blocks.project(), html.getValue());
            }
        });
        textPart.setLabel(getTranslation("messages.email.text"));
        textPart.setHelperText(getTranslation("messages.email.textHelp"));
        textPart.setWidthFull();
        inlineCss.setLabel(getTranslation("messages.email.inlineCss"));
        HorizontalLayout from = new HorizontalLayout(fromName, fromAddress, replyTo);
        from.setWidthFull();
        from.getStyle().set("flex-wrap", "wrap");
        VerticalLayout v = new VerticalLayout(subject, preheader, from, editorKind, html, blocks, textPart, inlineCss);
        v.setPadding(false);
        return v;
    }

    private Component smsForm() {
        smsText.setLabel(getTranslation("messages.sms.text"));
        smsText.setId("sms-text");
        smsText.setWidthFull();
        smsText.setMinHeight("140px");
        smsText.setValueChangeMode(ValueChangeMode.EAGER);
        smsText.addValueChangeListener(e -> smsCount.setText(preview.counter(SmsCount.of(e.getValue()))));
        smsCount.setId("sms-count");
        smsCount.getStyle().set("font-size", "var(--lumo-font-size-s)");
        smsSender.setLabel(getTranslation("messages.sms.sender"));
        VerticalLayout v = new VerticalLayout(smsText, smsCount, smsSender);
        v.setPadding(false);
        return v;
    }

    private Component pushForm() {
        pushTitle.setLabel(getTranslation("messages.push.title"));
        pushTitle.setId("push-title");
        pushBody.setLabel(getTranslation("messages.push.body"));
        pushImage.setLabel(getTranslation("messages.push.image"));
        pushLink.setLabel(getTranslation("messages.push.deepLink"));
        for (Component c : List.of(pushTitle, pushBody, pushImage, pushLink)) {
            ((HasSize) c).setWidthFull();
        }
        VerticalLayout v = new VerticalLayout(pushTitle, pushBody, pushImage, pushLink, new Span(getTranslation("messages.push.actions")), pushActions);
        v.setPadding(false);
        return v;
    }

    private Component telegramForm() {
        telegramText.setLabel(getTranslation("messages.telegram.text"));
        telegramText.setId("telegram-text");
        telegramText.setWidthFull();
        telegramText.setMinHeight("140px");
        parseMode.setLabel(getTranslation("messages.telegram.parseMode"));
        parseMode.setItems("HTML", "MarkdownV2");
        telegramImage.setLabel(getTranslation("messages.telegram.image"));
        telegramImage.setWidthFull();
        VerticalLayout v = new VerticalLayout(telegramText, parseMode, telegramImage, new Span(getTranslation("messages.telegram.buttons")), telegramButtons);
        v.setPadding(false);
        return v;
    }

    private Component webhookForm() {
        method.setLabel(getTranslation("messages.webhook.method"));
        method.setItems("POST", "PUT", "PATCH", "GET", "DELETE");
        webhookUrl.setLabel(getTranslation("messages.webhook.url"));
        webhookUrl.setId("webhook-url");
        webhookUrl.setWidthFull();
        webhookHeaders.setLabel(getTranslation("messages.webhook.headers"));
        webhookHeaders.setHelperText(getTranslation("messages.webhook.headersHelp"));
        webhookHeaders.setWidthFull();
        webhookBody.setId("webhook-body");
        VerticalLayout v = new VerticalLayout(method, webhookUrl, webhookHeaders, new Span(getTranslation("messages.webhook.body")), webhookBody);
        v.setPadding(false);
        return v;
    }

    private Component previewPanel() {
        previewDb.setLabel(getTranslation("messages.preview.database"));
        List<ClientDatabase> dbs = databases.list(user.workspaceId());
        previewDb.setItems(dbs);
        previewDb.setItemLabelGenerator(d -> d == null ? "" : d.name());
        dbs.stream().findFirst().ifPresent(previewDb::setValue);
        previewProfile.setLabel(getTranslation("messages.preview.profile"));
        previewProfile.setId("preview-profile");
        previewProfile.setHelperText(getTranslation("messages.preview.profileHelp"));
        previewData.setId("preview-data");
        previewData.setValue("{\n  \"data\": {},\n  \"campaign\": {\"name\": \"Preview\"}\n}");
        previewData.setWidthFull();
        previewChannel.setLabel(getTranslation("messages.preview.channel"));
        previewChannel.setItems(CHANNELS);
        previewChannel.setItemLabelGenerator(c -> getTranslation("messages.channel." + c));
        previewChannel.setValue("email");
        Button refresh = new Button(getTranslation("messages.preview.refresh"), VaadinIcon.REFRESH.create(), e -> refresh());
        refresh.setId("preview-refresh");
        previewDb.setWidth("11em");
        previewChannel.setWidth("9em");
        previewProfile.setWidth("min(16em, 100%)");
        HorizontalLayout who = new HorizontalLayout(previewDb, previewProfile, previewChannel, refresh);
        who.getStyle().set("flex-wrap", "wrap");
        who.setAlignItems(Alignment.BASELINE);
        Details data = new Details(getTranslation("messages.preview.data"), previewData);
        data.setWidthFull();
        VerticalLayout v = new VerticalLayout(who, data, preview);
        v.getStyle().set("padding-left", "var(--lumo-space-m)");
        return v;
    }

    private void fill(Message m) {
        name.setValue(m == null ? "" : m.name());
        promoPool.setValue(m == null ? null : m.promoPool());
        Message.Email e = m == null ? null : m.email();
        enabled.get("email").setValue(m == null || e != null);
        subject.setValue(e == null || e.subject() == null ? "" : e.subject());
        preheader.setValue(e == null || e.preheader() == null ? "" : e.preheader());
        fromName.setValue(e == null || e.fromName() == null ? "" : e.fromName());
        fromAddress.setValue(e == null || e.fromAddress() == null ? "" : e.fromAddress());
        replyTo.setValue(e == null || e.replyTo() == null ? "" : e.replyTo());
        html.setValue(e == null || e.html() == null ? STARTER : e.html());
        textPart.setValue(e == null || e.text() == null ? "" : e.text());
        inlineCss.setValue(e == null || !Boolean.FALSE.equals(e.inlineCss()));
        editorKind.setValue(e == null || e.editor() == null ? "code" : e.editor());
        if (e != null && "blocks".equals(e.editor())) {
            blocks.load(e.blocks(), e.html());
        }
        Message.Sms s = m == null ? null : m.sms();
        enabled.get("sms").setValue(s != null);
        smsText.setValue(s == null || s.text() == null ? "" : s.text());
        smsCount.setText(preview.counter(SmsCount.of(smsText.getValue())));
        smsSender.setValue(s == null || s.sender() == null ? "" : s.sender());
        Message.Push p = m == null ? null : m.push();
        enabled.get("push").setValue(p != null);
        pushTitle.setValue(p == null || p.title() == null ? "" : p.title());
        pushBody.setValue(p == null || p.body() == null ? "" : p.body());
        pushImage.setValue(p == null || p.image() == null ? "" : p.image());
        pushLink.setValue(p == null || p.deepLink() == null ? "" : p.deepLink());
        pushActions.set(p == null ? null : p.actions());
        Message.Telegram t = m == null ? null : m.telegram();
        enabled.get("telegram").setValue(t != null);
        telegramText.setValue(t == null || t.text() == null ? "" : t.text());
        parseMode.setValue(t == null || t.parseMode() == null ? "HTML" : t.parseMode());
        telegramImage.setValue(t == null || t.image() == null ? "" : t.image());
        telegramButtons.set(t == null ? null : t.buttons());
        Message.Webhook w = m == null ? null : m.webhook();
        enabled.get("webhook").setValue(w != null);
        method.setValue(w == null || w.method() == null ? "POST" : w.method());
        webhookUrl.setValue(w == null || w.url() == null ? "" : w.url());
        webhookHeaders.setValue(HeaderLines.format(w == null ? null : w.headers()));
        webhookBody.setValue(w == null || w.body() == null ? "{\n  \"id\": {{ profile.id | json }}\n}" : w.body());
        if (m != null) {
            previewChannel.setValue(m.channels().get(0));
        }
    }

    private static final String STARTER = """
            <!doctype html>
            <html>
            <head>
              <style>
                body { font-family: Arial, sans-serif; color: #1f2937; }
                .button { background: #4f46e5; color: #ffffff; padding: 12px 20px; border-radius: 6px; text-decoration: none; }
              </style>
            </head>
            <body>
              <h1>Hello, {{ profile.first_name | default: 'friend' }}!</h1>
              <p>{% if profile.city %}News for {{ profile.city }}.{% else %}Our news.{% endif %}</p>
              <p><a class="button" href="{{ 'https://example.com' | tracked_link }}">Open</a></p>
              <p><a href="{{ links.view_in_browser }}">View in browser</a> · <a href="{{ links.unsubscribe }}">Unsubscribe</a></p>
            </body>
            </html>
            """;

    private static String text(TextField f) {
        return f.getValue().isBlank() ? null : f.getValue();
    }

    private static String text(TextArea f) {
        return f.getValue().isBlank() ? null : f.getValue();
    }

    /** The message as the form has it now. */
    private Message draft() {
        Message.Email email = null;
        if (enabled.get("email").getValue()) {
            boolean blockMode = "blocks".equals(editorKind.getValue());
            String body = blockMode && blocks.html() != null && !blocks.html().isBlank() ? blocks.html() : html.getValue();
            email = new Message.Email(text(subject), text(preheader), text(fromName), text(fromAddress), text(replyTo),
                    body == null || body.isBlank() ? null : body, text(textPart), inlineCss.getValue(), editorKind.getValue(),
                    blockMode ? blocks.project() : null);
        }
        Message.Sms sms = enabled.get("sms").getValue() ? new Message.Sms(smsText.getValue(), text(smsSender)) : null;
        Message.Push push = enabled.get("push").getValue()
                ? new Message.Push(text(pushTitle), text(pushBody), text(pushImage), text(pushLink), pushActions.get()) : null;
        Message.Telegram telegram = enabled.get("telegram").getValue()
                ? new Message.Telegram(telegramText.getValue(), parseMode.getValue(), text(telegramImage), telegramButtons.get()) : null;
        Message.Webhook webhook = null;
        if (enabled.get("webhook").getValue()) {
            Map<String, String> headers = HeaderLines.parse(webhookHeaders.getValue());
            webhook = new Message.Webhook(method.getValue(), text(webhookUrl), headers.isEmpty() ? null : headers,
                    webhookBody.getValue().isBlank() ? null : webhookBody.getValue());
        }
        return new Message(message == null ? null : message.id(), user.workspaceId(), name.getValue(), message == null ? null : message.description(),
                email, sms, push, telegram, webhook, promoPool.getValue(), message == null ? 0 : message.version(), null, null);
    }

    private void save() {
        try {
            Message saved = message == null ? messages.create(user.workspaceId(), draft()) : messages.update(user.workspaceId(), message.id(), draft());
            Problems.success(getTranslation("messages.saved", saved.version()));
            if (message == null) {
                getUI().ifPresent(ui -> ui.navigate(MessageEditorView.class, new RouteParameters("id", saved.id())));
            } else {
                message = saved;
                showMeta();
            }
        } catch (InvalidInputException ex) {
            preview.showErrors(ex.errors());
            Problems.show(ex);
        }
    }

    /** Renders the form's message for the chosen profile and data into the preview. */
    @SuppressWarnings("unchecked")
    private void refresh() {
        String channel = previewChannel.getValue();
        Message m = draft();
        if (!m.channels().contains(channel)) {
            preview.showErrors(List.of(FieldError.of("channel", channel, getTranslation("messages.preview.noVariant"))));
            return;
        }
        try {
            Map<String, Object> data = new LinkedHashMap<>();
            String given = previewData.getValue().strip();
            if (!given.isEmpty()) {
                try {
                    data.putAll(Json.read(given, Map.class));
                } catch (RuntimeException e) {
                    throw new InvalidInputException("data", null, getTranslation("messages.preview.badJson"));
                }
            }
            if (previewDb.getValue() != null && !previewProfile.getValue().isBlank()) {
                ClientDatabase db = previewDb.getValue();
                String owner = segments.ownerOf(db, null, previewProfile.getValue())
                        .orElseThrow(() -> new InvalidInputException("profile", previewProfile.getValue(), getTranslation("messages.preview.noProfile")));
                Profile p = profiles.find(db.id(), owner).orElseThrow();
                data.putAll(Messages.profileData(p, Messages.channelOf(channel)));
            }
            RenderedMessage r = messages.render(m, data, List.of(channel), Map.of(), null);
            preview.show(channel, r);
        } catch (InvalidInputException e) {
            preview.showErrors(e.errors());
        }
    }


    /**
     * <em>Send a test</em>: the saved message, in each channel given an address, rendered with the
     * preview's profile when one is chosen; what became of each channel, refreshed on request.
     */
    private void openTest() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("messages.test.title"));
        dialog.setId("test-dialog");
        Map<String, TextField> to = new LinkedHashMap<>();
        VerticalLayout fields = new VerticalLayout();
        fields.setPadding(false);
        Map<String, Checkbox> noAddress = new LinkedHashMap<>();
        for (String channel : message.channels()) {
            if (channel.equals("webhook")) {
                Checkbox call = new Checkbox(getTranslation("messages.test.webhook"));
                call.setId("test-to-webhook");
                noAddress.put(channel, call);
                fields.add(call);
                continue;
            }
            TextField address = new TextField(getTranslation("messages.channel." + channel));
            address.setPlaceholder(getTranslation("messages.test.to." + channel));
            address.setWidthFull();
            address.setId("test-to-" + channel);
            to.put(channel, address);
            fields.add(address);
        }
        String with = previewDb.getValue() != null && !previewProfile.getValue().isBlank()
                ? getTranslation("messages.test.withProfile", previewProfile.getValue()) : getTranslation("messages.test.noProfile");
        Grid<MessageTests.Outcome> outcomes = new Grid<>();
        outcomes.addColumn(o -> getTranslation("messages.channel." + o.channel())).setHeader(getTranslation("messages.test.channel")).setAutoWidth(true);
        outcomes.addColumn(o -> getTranslation("messages.test.state." + o.state())).setHeader(getTranslation("messages.test.state")).setAutoWidth(true);
        outcomes.addColumn(o -> SkipWords.say(o.detail(), this::getTranslation)).setHeader(getTranslation("messages.test.detail")).setFlexGrow(1);
        outcomes.setAllRowsVisible(true);
        outcomes.setVisible(false);
        outcomes.setId("test-outcomes");
        String[] testId = {null};
        Button refresh = new Button(getTranslation("common.refresh"), VaadinIcon.REFRESH.create(),
                e -> outcomes.setItems(tests.outcomes(user.workspaceId(), testId[0])));
        refresh.setVisible(false);
        Button send = new Button(getTranslation("messages.test.send"), VaadinIcon.PAPERPLANE.create(), e -> {
            Map<String, String> addresses = new LinkedHashMap<>();
            to.forEach((channel, field) -> {
                if (!field.getValue().isBlank()) {
                    addresses.put(channel, field.getValue().strip());
                }
            });
            noAddress.forEach((channel, box) -> {
                if (box.getValue()) {
                    addresses.put(channel, "");
                }
            });
            try {
                Profile p = null;
                ClientDatabase db = previewDb.getValue();
                if (db != null && !previewProfile.getValue().isBlank()) {
                    String owner = segments.ownerOf(db, null, previewProfile.getValue())
                            .orElseThrow(() -> new InvalidInputException("profile", previewProfile.getValue(), getTranslation("messages.preview.noProfile")));
                    p = profiles.find(db.id(), owner).orElseThrow();
                }
                testId[0] = tests.send(user.workspaceId(), db == null ? null : db.id(), message, p, addresses);
                outcomes.setItems(tests.outcomes(user.workspaceId(), testId[0]));
                outcomes.setVisible(true);
                refresh.setVisible(true);
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        send.setId("send-test");
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new Paragraph(with), fields, outcomes);
        dialog.getFooter().add(new Button(getTranslation("common.close"), e -> dialog.close()), refresh, send);
        dialog.setWidth("min(36em, 95vw)");
        dialog.open();
    }

    /** Up to {@code max} buttons: a title, a link and (for Telegram's inline keyboard) a row. */
    private final class ButtonRows extends VerticalLayout {
        private final List<TextField> titles = new ArrayList<>();
        private final List<TextField> links = new ArrayList<>();
        private final List<IntegerField> rows = new ArrayList<>();

        ButtonRows(int max, boolean withRow) {
            setPadding(false);
            setSpacing(false);
            for (int i = 0; i < max; i++) {
                TextField title = new TextField();
                title.setPlaceholder(getTranslation("messages.button.title"));
                TextField link = new TextField();
                link.setPlaceholder(getTranslation("messages.button.link"));
                link.setWidth("min(22em, 100%)");
                IntegerField row = new IntegerField();
                row.setPlaceholder(getTranslation("messages.button.row"));
                row.setWidth("6em");
                row.setMin(0);
                row.setMax(9);
                row.setVisible(withRow);
                titles.add(title);
                links.add(link);
                rows.add(row);
                add(new HorizontalLayout(title, link, row));
            }
        }

        void set(List<Message.Button> buttons) {
            for (int i = 0; i < titles.size(); i++) {
                Message.Button b = buttons != null && i < buttons.size() ? buttons.get(i) : null;
                titles.get(i).setValue(b == null || b.title() == null ? "" : b.title());
                links.get(i).setValue(b == null || b.link() == null ? "" : b.link());
                rows.get(i).setValue(b == null ? null : b.row());
            }
        }

        List<Message.Button> get() {
            List<Message.Button> out = new ArrayList<>();
            for (int i = 0; i < titles.size(); i++) {
                if (!titles.get(i).getValue().isBlank() || !links.get(i).getValue().isBlank()) {
                    out.add(new Message.Button(titles.get(i).getValue(), links.get(i).getValue(), rows.get(i).getValue()));
                }
            }
            return out.isEmpty() ? null : out;
        }
    }
}
