package org.orbita.ui.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.IFrame;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Entities;
import org.jsoup.safety.Safelist;
import org.orbita.common.FieldError;
import org.orbita.common.Json;
import org.orbita.content.Message;
import org.orbita.content.RenderedMessage;
import org.orbita.content.SmsCount;

/** A rendered message as its recipient would see it: an inbox, a phone's SMS thread, a lock screen, a Telegram chat, a request. */
class MessagePreview extends VerticalLayout {

    MessagePreview() {
        setPadding(false);
        setSpacing(true);
        setId("message-preview");
    }

    void showErrors(List<FieldError> errors) {
        removeAll();
        Div box = new Div();
        box.setId("preview-errors");
        box.getStyle().set("color", "var(--lumo-error-text-color)").set("white-space", "pre-wrap");
        box.setText(String.join("\n", errors.stream().map(FieldError::toString).toList()));
        add(box);
    }

    void show(String channel, RenderedMessage r) {
        removeAll();
        if (!r.warnings().isEmpty()) {
            Div warnings = new Div();
            warnings.setId("preview-warnings");
            warnings.getStyle().set("color", "var(--lumo-warning-text-color, #b45309)").set("font-size", "var(--lumo-font-size-s)")
                    .set("white-space", "pre-wrap");
            warnings.setText(getTranslation("messages.preview.warnings") + "\n" + String.join("\n", r.warnings()));
            add(warnings);
        }
        add(switch (channel) {
            case "email" -> email(r.email());
            case "sms" -> sms(r.sms());
            case "push" -> push(r.push());
            case "telegram" -> telegram(r.telegram());
            default -> webhook(r.webhook());
        });
    }

    private Component email(RenderedMessage.Email e) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        Div head = new Div();
        head.getStyle().set("font-size", "var(--lumo-font-size-s)").set("line-height", "1.6");
        head.add(line(getTranslation("messages.email.from"), e.from()), line(getTranslation("messages.email.subject"), e.subject()),
                line(getTranslation("messages.email.preheader"), e.preheader()));
        IFrame frame = new IFrame();
        frame.setId("email-frame");
        frame.setSrcdoc(e.html() == null ? "<pre>" + Entities.escape(e.text() == null ? "" : e.text()) + "</pre>" : e.html());
        frame.getElement().setAttribute("sandbox", "");
        frame.getStyle().set("border", "1px solid var(--lumo-contrast-20pct)").set("border-radius", "8px").set("background", "white");
        frame.setWidth("100%");
        frame.setMaxWidth("640px");
        frame.setHeight("560px");
        Tabs width = new Tabs(new Tab(getTranslation("messages.preview.desktop")), new Tab(getTranslation("messages.preview.mobile")));
        width.addSelectedChangeListener(ev -> frame.setWidth(width.getSelectedIndex() == 0 ? "100%" : "375px"));
        Pre text = new Pre(e.text() == null ? "" : e.text());
        text.getStyle().set("white-space", "pre-wrap").set("max-height", "300px").set("overflow", "auto");
        Details textPart = new Details(getTranslation("messages.preview.textPart"), text);
        box.add(head, width, frame, textPart);
        return box;
    }

    private static Component line(String label, String value) {
        Div d = new Div();
        Span l = new Span(label + ": ");
        l.getStyle().set("color", "var(--lumo-secondary-text-color)");
        d.add(l, new Span(value == null ? "" : value));
        return d;
    }

    private Div phone() {
        Div phone = new Div();
        phone.getStyle().set("width", "340px").set("min-height", "360px").set("border", "10px solid #1f2937").set("border-radius", "36px")
                .set("padding", "24px 14px").set("background", "#f3f4f6").set("box-sizing", "border-box");
        return phone;
    }

    private Component sms(RenderedMessage.Sms s) {
        Div phone = phone();
        Div sender = new Div(s.sender() == null ? getTranslation("messages.channel.sms") : s.sender());
        sender.getStyle().set("text-align", "center").set("font-weight", "600").set("margin-bottom", "12px");
        Div bubble = new Div(s.text());
        bubble.setId("sms-bubble");
        bubble.getStyle().set("background", "#e5e7eb").set("border-radius", "18px").set("padding", "10px 14px").set("white-space", "pre-wrap")
                .set("max-width", "85%").set("word-break", "break-word");
        phone.add(sender, bubble);
        Span count = new Span(counter(s.count()));
        count.setId("sms-preview-count");
        count.getStyle().set("font-size", "var(--lumo-font-size-s)");
        return new VerticalLayout(phone, count);
    }

    String counter(SmsCount c) {
        return getTranslation("messages.sms.count", c.encoding().equals("gsm7") ? "GSM-7" : "UCS-2", c.characters(), c.parts(), c.remaining())
                + (c.nonGsm().isEmpty() ? "" : " · " + getTranslation("messages.sms.nonGsm", c.nonGsm()));
    }

    private Component push(RenderedMessage.Push p) {
        Div phone = phone();
        phone.getStyle().set("background", "linear-gradient(160deg,#1e3a8a,#7c3aed)");
        Div clock = new Div("09:41");
        clock.getStyle().set("color", "white").set("font-size", "48px").set("text-align", "center").set("font-weight", "200");
        Div card = new Div();
        card.setId("push-card");
        card.getStyle().set("background", "rgba(255,255,255,0.92)").set("border-radius", "16px").set("padding", "10px 12px").set("margin-top", "24px");
        Div title = new Div(p.title() == null ? "" : p.title());
        title.getStyle().set("font-weight", "600");
        card.add(title, new Div(p.body() == null ? "" : p.body()));
        if (p.image() != null && !p.image().isBlank()) {
            Image img = new Image(p.image(), "");
            img.setWidthFull();
            img.getStyle().set("border-radius", "8px").set("margin-top", "6px");
            card.add(img);
        }
        if (p.actions() != null && !p.actions().isEmpty()) {
            HorizontalLayout actions = new HorizontalLayout();
            for (Message.Button b : p.actions()) {
                Span a = new Span(b.title());
                a.getStyle().set("color", "#2563eb").set("font-weight", "600");
                actions.add(a);
            }
            card.add(actions);
        }
        phone.add(clock, card);
        Div link = new Div(p.deepLink() == null ? "" : "→ " + p.deepLink());
        link.getStyle().set("font-size", "var(--lumo-font-size-s)");
        return new VerticalLayout(phone, link);
    }

    private Component telegram(RenderedMessage.Telegram t) {
        Div chat = phone();
        chat.getStyle().set("background", "#c8dbe8");
        Div bubble = new Div();
        bubble.setId("telegram-bubble");
        bubble.getStyle().set("background", "white").set("border-radius", "14px").set("padding", "8px 12px").set("max-width", "90%");
        if (t.image() != null && !t.image().isBlank()) {
            Image img = new Image(t.image(), "");
            img.setWidthFull();
            img.getStyle().set("border-radius", "8px");
            bubble.add(img);
        }
        String text = t.text() == null ? "" : t.text();
        if ("HTML".equals(t.parseMode())) {
            Safelist telegramTags = new Safelist().addTags("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote")
                    .addAttributes("a", "href").addProtocols("a", "href", "http", "https", "tg");
            bubble.add(new Html("<div style=\"white-space:pre-wrap\">" + Jsoup.clean(text, telegramTags) + "</div>"));
        } else {
            Div plain = new Div(text);
            plain.getStyle().set("white-space", "pre-wrap");
            bubble.add(plain);
        }
        chat.add(bubble);
        if (t.buttons() != null) {
            Map<Integer, HorizontalLayout> rows = new TreeMap<>();
            for (Message.Button b : t.buttons()) {
                Span button = new Span(b.title());
                button.getStyle().set("flex", "1").set("text-align", "center").set("background", "rgba(0,0,0,0.25)").set("color", "white")
                        .set("border-radius", "8px").set("padding", "6px");
                rows.computeIfAbsent(b.row() == null ? 0 : b.row(), r -> {
                    HorizontalLayout h = new HorizontalLayout();
                    h.setWidth("90%");
                    h.setSpacing(false);
                    h.getStyle().set("gap", "4px").set("margin-top", "4px");
                    return h;
                }).add(button);
            }
            rows.values().forEach(chat::add);
        }
        return chat;
    }

    private Component webhook(RenderedMessage.Webhook w) {
        StringBuilder s = new StringBuilder(w.method()).append(' ').append(w.url()).append('\n');
        w.headers().forEach((k, v) -> s.append(k).append(": ").append(v).append('\n'));
        s.append('\n');
        if (w.body() != null) {
            try {
                s.append(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(w.body()));
            } catch (JsonProcessingException e) {
                s.append(String.valueOf(w.body()));
            }
        }
        Pre pre = new Pre(s.toString());
        pre.setId("webhook-request");
        pre.getStyle().set("white-space", "pre-wrap").set("background", "var(--lumo-contrast-5pct)").set("padding", "12px");
        return pre;
    }
}
