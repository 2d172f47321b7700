package org.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.outbound.NetworkGuard;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

class MessagesTest {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteSettings store;
    Templates templates = new Templates();
    Snippets snippets;
    Links links = new Links("https://t.example.com", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    Messages messages;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteSettings(sqlite);
        snippets = new Snippets(store, templates, Clock.systemUTC(), Access.SYSTEM);
        messages = new Messages(store, templates, snippets, new ExternalData(store, templates, new NetworkGuard(false, List.of()), Clock.systemUTC()),
                links, Clock.systemUTC(), Access.SYSTEM);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    static Message.Email email(String subject, String html) {
        return new Message.Email(subject, "Sale ends {{ data.ends }}", "Shop", "news@shop.example", null, html, null, null, null, null);
    }

    static Message draft(String name, Message.Email email) {
        return new Message(null, null, name, null, email, null, null, null, null, 0, null, null);
    }

    Map<String, Object> ann = Map.of("profile", Map.of("id", "p1", "first_name", "Ann", "city", "Kazan"), "data", Map.of("ends", "Sunday"));

    @Test
    void emailIsRenderedWithInlinedCssPreheaderAndATextPart() {
        Message m = messages.create("ws", draft("Welcome", email("Hi {{ profile.first_name }}",
                "<html><head><style>p { color: #333; font-size: 14px } .big { font-size: 20px } a:hover { color: red }"
                        + " @media (max-width: 600px) { p { font-size: 12px } }</style></head>"
                        + "<body><h1>Hello, {{ profile.first_name }}</h1><p class=\"big\" style=\"margin:0\">From {{ profile.city }}</p>"
                        + "<p><a href=\"{{ 'https://shop.example/sale' | tracked_link }}\">Sale</a></p>"
                        + "<p><a href=\"{{ links.unsubscribe }}\">Unsubscribe</a></p></body></html>")));
        assertThat(m.version()).isEqualTo(1);
        assertThat(m.email().inlineCss()).isTrue();

        RenderedMessage r = messages.render(m, ann, List.of(), Map.of(), new Links.Context("ws", "crm", "p1", m.id(), 1L, null, null, "run-1"));
        assertThat(r.email().subject()).isEqualTo("Hi Ann");
        assertThat(r.email().from()).isEqualTo("\"Shop\" <news@shop.example>");
        String html = r.email().html();
        // the class rule (more specific) wins over the element rule; the inline margin stays
        assertThat(html).contains("style=\"color: #333; font-size: 20px; margin: 0;\"");
        assertThat(html).contains("@media (max-width: 600px)").contains("a:hover {color: red}");
        assertThat(html).contains("Sale ends Sunday</div>");
        assertThat(r.email().text()).startsWith("Hello, Ann").contains("From Kazan").contains("Sale (https://t.example.com/t/c/")
                .doesNotContain("Sale ends Sunday").doesNotContain("<");

        String click = html.replaceAll("(?s).*href=\"https://t.example.com/t/c/([^\"]+)\".*", "$1");
        Links.Facts facts = links.verify(Links.CLICK, click).orElseThrow();
        assertThat(facts.url()).isEqualTo("https://shop.example/sale");
        assertThat(facts.profileId()).isEqualTo("p1");
        assertThat(facts.messageId()).isEqualTo(m.id());
        assertThat(facts.channel()).isEqualTo("email");
        assertThat(facts.run()).isEqualTo("run-1");
        assertThat(links.verifyClick(click)).isInstanceOf(Links.Click.Redirect.class);
        // one changed character and the link is worthless; a click token is no unsubscribe token
        char c = click.charAt(5);
        assertThat(links.verify(Links.CLICK, click.substring(0, 5) + (c == 'A' ? 'B' : 'A') + click.substring(6))).isEmpty();
        assertThat(links.verify(Links.UNSUBSCRIBE, click)).isEmpty();
        String unsubscribe = html.replaceAll("(?s).*href=\"https://t.example.com/t/u/([^\"]+)\".*", "$1");
        assertThat(links.verify(Links.UNSUBSCRIBE, unsubscribe).orElseThrow().database()).isEqualTo("crm");
    }

    @Test
    void clickLinksAreMadeOnlyForASendAndStopRedirectingWhenTheyExpire() {
        Message m = messages.create("ws", draft("Links", email("Hi", "<a href=\"{{ 'https://evil.example/phish' | tracked_link }}\">x</a>")));
        // a render outside a send (preview, test, the render API) gets the address itself: nothing to mint a redirect with
        String preview = messages.render(m, ann, List.of(), Map.of(), new Links.Context("ws", "crm", "p1", m.id(), 1L, null)).email().html();
        assertThat(preview).contains("href=\"https://evil.example/phish\"").doesNotContain("/t/c/");
        String tooling = messages.render(m, ann, List.of(), Map.of(), Links.Context.preview("ws")).email().html();
        assertThat(tooling).contains("href=\"https://evil.example/phish\"").doesNotContain("/t/c/");

        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        Instant sent = Instant.parse("2026-01-01T10:00:00Z");
        Links atSend = new Links("https://t.example.com", key, Duration.ofDays(30), Clock.fixed(sent, ZoneOffset.UTC));
        String token = atSend.click(new Links.Context("ws", "crm", "p1", m.id(), 1L, "email", null, "run-1"), "https://shop.example/a")
                .substring("https://t.example.com/t/c/".length());
        Links dayLater = new Links("https://t.example.com", key, Duration.ofDays(30), Clock.fixed(sent.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        assertThat(dayLater.verifyClick(token)).isInstanceOf(Links.Click.Redirect.class);
        Links monthsLater = new Links("https://t.example.com", key, Duration.ofDays(30), Clock.fixed(sent.plus(Duration.ofDays(31)), ZoneOffset.UTC));
        assertThat(monthsLater.verifyClick(token)).isInstanceOfSatisfying(Links.Click.Expired.class,
                e -> assertThat(e.facts().url()).isEqualTo("https://shop.example/a"));
        // a signed click token without a send (as older versions made for previews) does not redirect
        String unbound = atSend.token(new Links.Facts(Links.CLICK, "ws", null, null, m.id(), 1L, null, "https://evil.example/phish", null));
        assertThat(atSend.verifyClick(unbound)).isInstanceOf(Links.Click.NotValid.class);
    }

    @Test
    void everyChannelVariantRendersWithItsOwnRules() {
        Message m = messages.create("ws", new Message(null, null, "All channels", null, null,
                new Message.Sms("Привет, {{ profile.first_name }}! Скидка 10%", "SHOP"),
                new Message.Push("{{ profile.first_name }}, sale", "Ends {{ data.ends }}", "https://cdn.example/x.png", "shop://sale",
                        List.of(new Message.Button("Open", "shop://sale", null), new Message.Button("Later", "shop://later", null))),
                new Message.Telegram("<b>{{ profile.first_name }}</b>", null, null, List.of(new Message.Button("Go", "https://shop.example", 0))),
                new Message.Webhook(null, "https://hooks.example/{{ profile.id }}", Map.of("X-City", "{{ profile.city }}"),
                        "{\"name\": {{ profile.first_name | json }}, \"n\": 3}"),
                0, null, null));
        RenderedMessage r = messages.render(m, ann, List.of(), Map.of(), null);
        assertThat(r.sms().text()).isEqualTo("Привет, Ann! Скидка 10%");
        assertThat(r.sms().count().encoding()).isEqualTo("ucs2");
        assertThat(r.sms().count().parts()).isEqualTo(1);
        assertThat(r.push().title()).isEqualTo("Ann, sale");
        assertThat(r.push().actions()).hasSize(2);
        assertThat(r.telegram().text()).isEqualTo("<b>Ann</b>");
        assertThat(r.telegram().parseMode()).isEqualTo("HTML");
        assertThat(r.webhook().method()).isEqualTo("POST");
        assertThat(r.webhook().url()).isEqualTo("https://hooks.example/p1");
        assertThat(r.webhook().headers()).containsEntry("X-City", "Kazan");
        assertThat(r.webhook().body()).isEqualTo(Map.of("name", "Ann", "n", 3L));
        assertThat(messages.render(m, ann, List.of("sms"), Map.of(), null).push()).isNull();
        assertThatThrownBy(() -> messages.render(m, ann, List.of("email"), Map.of(), null))
                .hasMessageContaining("no email variant");

        Message broken = messages.update("ws", m.id(), new Message(null, null, "All channels", null, null, null, null, null,
                new Message.Webhook("POST", "https://hooks.example", null, "{\"name\": {{ profile.first_name }}}"), 0, null, null));
        assertThat(broken.version()).isEqualTo(2);
        assertThat(messages.versions("ws", m.id())).extracting(Message::version).containsExactly(1L, 2L);
        assertThatThrownBy(() -> messages.render(broken, ann, List.of(), Map.of(), null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("webhook.body").hasMessageContaining("not JSON");
    }

    @Test
    void badMessagesAreRefusedNamingEveryField() {
        InvalidInputException e = (InvalidInputException) Assertions.catchThrowable(() -> messages.create("ws",
                new Message(null, null, " ", null,
                        new Message.Email(null, null, null, "not an address", null, "<p>{% if x %}unclosed</p>", null, null, "wysiwyg", null),
                        new Message.Sms("", null),
                        new Message.Push("t", null, null, null, List.of(new Message.Button("a", "l", null), new Message.Button("b", "l", null),
                                new Message.Button("c", "l", null), new Message.Button("d", "l", null))),
                        new Message.Telegram("{{ x | no_such_filter }}", "BBCode", null, null),
                        new Message.Webhook("TRACE", "ftp://x", null, null), 0, null, null)));
        assertThat(e.errors()).extracting(FieldError::field).contains("name", "email.subject", "email.fromAddress", "email.editor",
                "email.html", "sms.text", "push.actions", "telegram.parseMode", "webhook.method", "webhook.url", "telegram.text");
        assertThat(e.errors().stream().filter(f -> f.field().equals("email.html")).findFirst().orElseThrow().value()).startsWith("line 1, column");
        assertThat(messages.list("ws")).isEmpty();
        assertThatThrownBy(() -> messages.create("ws", draft("x", null))).hasMessageContaining("at least one variant");
    }

    @Test
    void aSnippetChangeShowsWhichMessagesUseIt() {
        snippets.save("ws", "footer", "<p>{{ profile.city }} · {% render 'legal' %}</p>");
        snippets.save("ws", "legal", "© Shop");
        Message a = messages.create("ws", draft("A", email("A", "<p>Hi</p>{% render 'footer' %}")));
        messages.create("ws", draft("B", email("B", "<p>No footer</p>")));
        Message c = messages.create("ws", draft("C", email("C", "{% render \"legal\" %}")));
        assertThat(messages.usingSnippet("ws", "footer")).extracting(Message::id).containsExactly(a.id());
        assertThat(messages.usingSnippet("ws", "legal")).extracting(Message::id).containsExactlyInAnyOrder(a.id(), c.id());
        assertThat(messages.render(a, ann, List.of("email"), Map.of(), null).email().text()).isEqualTo("Hi\n\nKazan · © Shop");
        // a draft snippet given with the render wins over the library's
        assertThat(messages.render(a, ann, List.of("email"), Map.of("legal", "(c) draft"), null).email().text()).endsWith("(c) draft");
    }

    @Test
    void unknownVariablesAreWarningsNamingTheField() {
        Message m = messages.create("ws", draft("W", email("Hi {{ profile.nickname }}", "<p>{{ profile.first_name }}</p>")));
        RenderedMessage r = messages.render(m, ann, List.of(), Map.of(), null);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).startsWith("email.subject:").contains("nickname"));
        assertThat(r.email().subject()).isEqualTo("Hi ");
    }

    @Test
    void smsCountsFollowGsm7AndUcs2Rules() {
        assertThat(SmsCount.of("a".repeat(160))).extracting(SmsCount::encoding, SmsCount::parts, SmsCount::remaining).containsExactly("gsm7", 1, 0);
        assertThat(SmsCount.of("a".repeat(161))).extracting(SmsCount::parts, SmsCount::perPart, SmsCount::remaining).containsExactly(2, 153, 145);
        // € and { are in the extension table: two septets each
        assertThat(SmsCount.of("€".repeat(80))).extracting(SmsCount::encoding, SmsCount::units, SmsCount::parts).containsExactly("gsm7", 160, 1);
        assertThat(SmsCount.of("a" + "€".repeat(80)).parts()).isEqualTo(2);
        // an escape pair never straddles two parts: 152 a's then € does not fit in part one's last septet
        assertThat(SmsCount.of("a".repeat(152) + "€" + "a".repeat(10))).extracting(SmsCount::units, SmsCount::parts, SmsCount::remaining)
                .containsExactly(164, 2, 153 - 12);
        assertThat(SmsCount.of("Привет".repeat(12))).extracting(SmsCount::encoding, SmsCount::units, SmsCount::parts).containsExactly("ucs2", 72, 2);
        assertThat(SmsCount.of("Hi 😀")).extracting(SmsCount::encoding, SmsCount::characters, SmsCount::units, SmsCount::nonGsm)
                .containsExactly("ucs2", 4, 5, "😀");
        assertThat(SmsCount.of("x".repeat(70) + "ж")).extracting(SmsCount::parts).isEqualTo(2);
        assertThat(SmsCount.of("")).extracting(SmsCount::parts, SmsCount::remaining).containsExactly(1, 160);
    }

    @Test
    void telegramTextOverItsLimitIsAClearError() {
        Message m = messages.create("ws", new Message(null, null, "T", null, null, null, null,
                new Message.Telegram("{% for i in (1..50) %}{{ data.long }}{% endfor %}", "HTML", "https://cdn.example/i.png", null), null, 0, null, null));
        assertThatThrownBy(() -> messages.render(m, Map.of("data", Map.of("long", "x".repeat(30))), List.of(), Map.of(), null))
                .hasMessageContaining("telegram.text").hasMessageContaining("1024");
    }
}
