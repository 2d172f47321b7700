package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.queues.SendQueue;
import org.orbita.sending.EmailEnvelope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Forms over the API and the public origin, as a marketer and a page's visitors use them: a form
 * checked whole against its database, published by link and by code; a valid submission a profile
 * (subscribed where consent was given) and a {@code form.submitted} event a trigger campaign hears;
 * spam refused and kept, never a profile; wrong answers refused by name; replays changing nothing;
 * the results, the answers, NPS and the export.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FormsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHOWN = Pattern.compile("\"shown\":\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Value("${orbita.content.public-port}")
    int publicPort;

    @Autowired
    SendQueue queue;

    @Autowired
    org.orbita.forms.Forms forms;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    static int counter;
    String db;
    String form;

    static Map<String, Object> survey(String db, int minSeconds) {
        return Map.of("name", "Feedback", "database", db, "matchBy", "email", "published", true,
                "spam", Map.of("minSeconds", minSeconds, "perMinute", 5),
                "texts", Map.of("en", Map.of("title", "Tell us", "success", "Thanks!"), "ru", Map.of("title", "Расскажите")),
                "fields", List.of(
                        Map.of("name", "email", "type", "email", "profileField", "email", "required", true, "label", Map.of("en", "Email")),
                        Map.of("name", "name", "type", "text", "profileField", "name", "label", Map.of("en", "Name", "ru", "Имя"), "maxLength", 60),
                        Map.of("name", "score", "type", "nps", "required", true, "label", Map.of("en", "How likely are you to recommend us?"), "step", 2),
                        Map.of("name", "why", "type", "textarea", "label", Map.of("en", "What went wrong?"), "step", 2,
                                "showIf", Map.of("field", "score", "values", List.of("0", "1", "2", "3", "4", "5", "6"))),
                        Map.of("name", "source", "type", "hidden", "source", "utm_source")),
                "consents", List.of(Map.of("name", "news", "channel", "email", "resource", "newsletter", "label", Map.of("en", "Send me news"))));
    }

    @BeforeEach
    void aForm() {
        db = "forms" + (++counter);
        Reply created = json(port, "POST", "/api/v1/databases", Map.of("id", db, "name", "Forms", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Reply f = json(port, "POST", "/api/v1/forms", survey(db, 1));
        assertThat(f.status()).as(f.body()).isEqualTo(201);
        form = f.json().get("id").asText();
    }

    private Reply publicCall(String method, String path, String body) {
        return ApiTestSupport.send(URI.create("http://localhost:" + publicPort + path), method, Map.of("Content-Type", "text/plain"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The moment the form was shown, as its script carries it. */
    private String shown() {
        Reply script = publicCall("GET", "/t/f/" + form + "/form.js", null);
        assertThat(script.status()).as(script.body()).isEqualTo(200);
        Matcher m = SHOWN.matcher(script.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private Reply submit(Map<String, Object> body) {
        try {
            return publicCall("POST", "/t/f/" + form + "/submit", JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> submission(String id, String shown, Map<String, Object> answers) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", id);
        b.put("shown", shown);
        b.put("hp", "");
        b.put("answers", answers);
        b.put("consents", Map.of("news", true));
        b.put("page", "https://shop.example/feedback?utm_source=mail");
        return b;
    }

    private JsonNode profile(String email) {
        Reply p = json(port, "GET", "/api/v1/databases/" + db + "/profiles?matching=email&value=" + email, null);
        return p.status() == 404 ? null : p.json();
    }

    private JsonNode results() {
        return json(port, "GET", "/api/v1/forms/" + form + "/results", null).json();
    }

    @Test
    void aValidSubmissionIsAProfileSubscribedWhereItAgreedAndAnEventATriggerCampaignHears() throws Exception {
        Reply embed = json(port, "GET", "/api/v1/forms/" + form + "/embed", null);
        assertThat(embed.json().get("link").asText()).isEqualTo("http://localhost:" + publicPort + "/t/f/" + form);
        assertThat(embed.json().get("code").asText()).contains("data-orbita-form=\"" + form + "\"").contains("/t/f/" + form + "/form.js");
        Reply page = publicCall("GET", "/t/f/" + form, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Tell us</title>").contains("/t/f/" + form + "/form.js");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors *");
        assertThat(page.header("X-Frame-Options")).as("the iframe code frames it anywhere").isNull();
        assertThat(page.header("Set-Cookie")).isNull();

        Reply msg = json(port, "POST", "/api/v1/messages", Map.of("name", "Thanks for the feedback", "email", Map.of(
                "subject", "Thank you", "fromAddress", "shop@shop.example", "text", "We read every answer")));
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Feedback follow-up", "type", "trigger", "database", db,
                "messageId", msg.json().get("id").asText(), "trigger", Map.of("event", "form.submitted")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String campaignId = campaign.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);
        Thread.sleep(2_500); // live trigger campaigns are looked up again every two seconds

        String shown = shown();
        Thread.sleep(1_100); // the form's minimum fill time
        List<JsonNode> mail = new CopyOnWriteArrayList<>();
        try (SendQueue.Consumer consumer = queue.consume("orbita.email", 100, m -> {
            JsonNode j = EmailEnvelope.read(m.body());
            if (j.at("/headers/X-Orbita-Campaign").asText().equals(campaignId)) {
                mail.add(j);
            }
        })) {
            Reply ok = submit(submission("sub-ann-0001", shown, Map.of("email", "Ann@Shop.example", "name", "<script>alert(1)</script>",
                    "score", 3, "why", "Slow delivery", "source", "mail")));
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(ok.json().get("status").asText()).isEqualTo("accepted");
            assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("*");
            ApiTestSupport.waitFor(() -> mail.size() == 1);
        }
        JsonNode ann = profile("ann@shop.example");
        assertThat(ann).as("the email as the profile schema keeps it").isNotNull();
        assertThat(ann.at("/fields/name").asText()).as("kept as text, as typed").isEqualTo("<script>alert(1)</script>");
        assertThat(ann.get("subscriptions").toString()).contains("\"resource\":\"newsletter\"").contains("\"status\":\"active\"");
        JsonNode h = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ann.get("id").asText() + "/history?type=form.submitted", null).json();
        JsonNode props = h.at("/events/0/properties");
        assertThat(props.get("form").asText()).isEqualTo(form);
        assertThat(props.at("/answers/score").asInt()).isEqualTo(3);
        assertThat(props.at("/answers/why").asText()).isEqualTo("Slow delivery");
        assertThat(props.get("utm_source").asText()).isEqualTo("mail");
        assertThat(props.get("consents").toString()).isEqualTo("[\"news\"]");

        // the same submission again: a repeat, nothing written twice
        Reply again = submit(submission("sub-ann-0001", shown, Map.of("email", "ann@shop.example", "score", 3)));
        assertThat(again.json().get("status").asText()).isEqualTo("repeat");
        assertThat(json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ann.get("id").asText() + "/history?type=form.submitted", null)
                .json().get("events").size()).isEqualTo(1);

        // a promoter: the question shown only to detractors is neither required nor kept
        Reply bo = submit(submission("sub-bo-00001", shown, Map.of("email", "bo@shop.example", "score", 10, "why", "ignored")));
        assertThat(bo.status()).as(bo.body()).isEqualTo(200);
        Reply cy = submit(submission("sub-cy-00001", shown, Map.of("email", "cy@shop.example", "score", 9)));
        assertThat(cy.status()).isEqualTo(200);
        JsonNode answers = json(port, "GET", "/api/v1/forms/" + form + "/answers", null).json();
        assertThat(answers.size()).isEqualTo(3);
        assertThat(answers.get(1).get("answers").has("why")).isFalse();
        assertThat(json(port, "GET", "/api/v1/forms/" + form + "/answers?field=why&value=slow", null).json().size()).isEqualTo(1);
        JsonNode nps = json(port, "GET", "/api/v1/forms/" + form + "/nps?field=score", null).json();
        assertThat(nps.get("promoters").asInt()).isEqualTo(2);
        assertThat(nps.get("detractors").asInt()).isEqualTo(1);
        assertThat(nps.get("score").asDouble()).as("(2 − 1) / 3").isEqualTo(33.3);
        assertThat(nps.get("weeks").size()).isEqualTo(1);
        // the detractors in one call: a static segment of Ann alone
        Reply detractors = json(port, "POST", "/api/v1/forms/" + form + "/nps/detractors?field=score", null);
        assertThat(detractors.status()).as(detractors.body()).isEqualTo(201);
        assertThat(detractors.json().get("profiles").asInt()).isEqualTo(1);
        assertThat(detractors.json().at("/segment/name").asText()).startsWith("NPS detractors — ");
        assertThat(json(port, "GET", "/api/v1/segments/" + detractors.json().at("/segment/id").asText() + "/members", null).body())
                .contains(ann.get("id").asText());
        assertThat(json(port, "POST", "/api/v1/forms/" + form + "/nps/detractors?field=email", null).status()).as("not an NPS question")
                .isEqualTo(400);
        Reply csv = json(port, "GET", "/api/v1/forms/" + form + "/export?format=csv", null);
        assertThat(csv.status()).isEqualTo(200);
        String[] lines = csv.body().replace("\uFEFF", "").split("\r\n");
        assertThat(lines[0]).isEqualTo("submitted_at,profile_id,page,email,name,score,why,source");
        assertThat(lines).hasSize(4);
        assertThat(json(port, "GET", "/api/v1/forms/" + form + "/export?format=pdf", null).status()).isEqualTo(400);

        publicCall("POST", "/t/f/" + form + "/seen", "{\"kind\":\"view\",\"visitor\":\"visitor-0001\"}");
        publicCall("POST", "/t/f/" + form + "/seen", "{\"kind\":\"view\",\"visitor\":\"visitor-0002\"}");
        publicCall("POST", "/t/f/" + form + "/seen", "{\"kind\":\"start\",\"visitor\":\"visitor-0001\"}");
        JsonNode r = results();
        assertThat(r.get("views").asInt()).isEqualTo(2);
        assertThat(r.get("starts").asInt()).isEqualTo(1);
        assertThat(r.get("submissions").asInt()).isEqualTo(3);
        assertThat(r.get("conversion").asDouble()).isEqualTo(150.0);
        Reply report = json(port, "GET", "/api/v1/reports/forms?database=" + db + "&groupBy=form", null);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().at("/totals/form_views").asInt()).isEqualTo(2);
        assertThat(report.json().at("/totals/form_submissions").asInt()).isEqualTo(3);
        assertThat(report.json().at("/rows/0/keys/0").asText()).isEqualTo(form);
        assertThat(report.body()).as("the form by its name").contains("Feedback");
    }

    @Test
    void spamIsRefusedAndKeptButNeverAProfile() throws Exception {
        String shown = shown();
        Reply fast = submit(submission("sub-fast-001", shown, Map.of("email", "fast@shop.example", "score", 5)));
        assertThat(fast.status()).as("sent before the minimum fill time").isEqualTo(422);
        assertThat(fast.contentType()).startsWith("application/problem+json");
        Thread.sleep(1_100);
        Map<String, Object> trap = submission("sub-trap-001", shown, Map.of("email", "trap@shop.example", "score", 5));
        trap.put("hp", "https://spam.example");
        assertThat(submit(trap).status()).as("the honeypot filled").isEqualTo(422);
        assertThat(submit(submission("sub-forged-1", form + ".1700000000000.AAAA", Map.of("email", "f@shop.example", "score", 5))).status())
                .as("a forged moment").isEqualTo(422);
        int statuses = 0;
        for (int i = 0; i < 6; i++) {
            Reply r = submit(submission("sub-many-00" + i, shown, Map.of("email", "many" + i + "@shop.example", "score", 5)));
            assertThat(r.status()).as(r.body()).isIn(200, 429);
            statuses = r.status();
        }
        assertThat(statuses).as("the sixth in a minute from one address, at most five allowed").isEqualTo(429);
        assertThat(profile("fast@shop.example")).isNull();
        assertThat(profile("trap@shop.example")).isNull();
        assertThat(profile("many5@shop.example")).isNull();
        assertThat(profile("many1@shop.example")).isNotNull();
        assertThat(results().get("rejected").asInt()).as("each refusal kept").isEqualTo(4);
        // a refused one sent again stays refused: no second chance by replay
        assertThat(submit(trap).json().get("status").asText()).isEqualTo("repeat");
        assertThat(profile("trap@shop.example")).isNull();
    }

    /** A nonce as the form's script finds it: SHA-256 of shown:id:nonce starting with so many zero bits. */
    private static String work(String shown, String id, int bits) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (long n = 0; ; n++) {
            byte[] d = sha.digest((shown + ":" + id + ":" + Long.toString(n, 36)).getBytes(StandardCharsets.UTF_8));
            int zeros = Integer.numberOfLeadingZeros(((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff));
            if (zeros >= bits) {
                return Long.toString(n, 36);
            }
        }
    }

    private Reply hook(String url, String form) {
        return ApiTestSupport.send(URI.create(url), "POST", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                form.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTildaWebhookFillsTheSameQuestionsAndEachDeliveryCountsOnce() throws Exception {
        Reply address = json(port, "GET", "/api/v1/forms/" + form + "/webhook", null);
        assertThat(address.status()).as(address.body()).isEqualTo(200);
        String url = address.json().get("url").asText();
        assertThat(url).startsWith("http://localhost:" + publicPort + "/t/f/" + form + "/hook/");
        // Tilda's test when the hook is saved
        Reply test = hook(url, "test=test");
        assertThat(test.status()).isEqualTo(200);
        assertThat(test.body()).isEqualTo("ok");
        Reply lead = hook(url, "Name=Tim+%3Cb%3E&Email=Tim%40Shop.example&score=10&news=yes&tranid=8245421%3A4137021&formid=form123");
        assertThat(lead.status()).as(lead.body()).isEqualTo(200);
        JsonNode tim = profile("tim@shop.example");
        assertThat(tim).isNotNull();
        assertThat(tim.at("/fields/name").asText()).isEqualTo("Tim <b>");
        assertThat(tim.get("subscriptions").toString()).contains("\"resource\":\"newsletter\"");
        assertThat(hook(url, "Name=Tim&Email=tim%40shop.example&score=10&tranid=8245421%3A4137021").status()).as("Tilda resends").isEqualTo(200);
        JsonNode h = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + tim.get("id").asText() + "/history?type=form.submitted", null)
                .json();
        assertThat(h.get("events").size()).isEqualTo(1);
        assertThat(h.at("/events/0/properties/answers/score").asInt()).isEqualTo(10);
        Reply wrong = hook(url, "Email=not-an-email&score=10&tranid=1");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("answers.email");
        Reply forged = hook(url.substring(0, url.length() - 3) + "abc", "Email=eve%40shop.example&score=1");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(profile("eve@shop.example")).isNull();
    }

    /**
     * LPGenerator's lead webhook into the same form: the lead's fields in {@code lead_data}, the page
     * and form in {@code meta_data}, the campaign tags in {@code utm_data} — as JSON, and as a form
     * post with PHP's nested names; a resent lead counts once.
     */
    @Test
    void anLpGeneratorLeadFillsTheFormFromItsNestedParts() throws Exception {
        String url = json(port, "GET", "/api/v1/forms/" + form + "/webhook", null).json().get("url").asText();
        Map<String, Object> lead = Map.of(
                "lead_data", Map.of("id", "lp-77120", "name", "Lena", "email", "Lena@Landing.example", "phone", "+79001234567", "score", "9",
                        "news", "да"),
                "meta_data", Map.of("page_url", "https://landing.example/spring?x=1", "form_name", "Заявка", "ip", "203.0.113.7",
                        "user_agent", "Mozilla/5.0"),
                "utm_data", Map.of("utm_source", "yandex", "utm_medium", "cpc", "utm_campaign", "spring"));
        byte[] body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(lead);
        Reply sent = ApiTestSupport.send(URI.create(url), "POST", Map.of("Content-Type", "application/json"), body);
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).isEqualTo("ok");
        assertThat(ApiTestSupport.send(URI.create(url), "POST", Map.of("Content-Type", "application/json"), body).status())
                .as("LPGenerator resends").isEqualTo(200);
        JsonNode lena = profile("lena@landing.example");
        assertThat(lena).isNotNull();
        assertThat(lena.at("/fields/name").asText()).isEqualTo("Lena");
        assertThat(lena.get("subscriptions").toString()).contains("\"resource\":\"newsletter\"");
        JsonNode h = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + lena.get("id").asText() + "/history?type=form.submitted", null)
                .json();
        assertThat(h.get("events").size()).as("one submission for the lead sent twice").isEqualTo(1);
        JsonNode props = h.at("/events/0/properties");
        assertThat(props.at("/answers/score").asInt()).isEqualTo(9);
        assertThat(props.toString()).contains("https://landing.example/spring?x=1").contains("\"utm_source\":\"yandex\"")
                .contains("\"utm_campaign\":\"spring\"");

        Reply posted = hook(url, "lead_data%5Bemail%5D=oleg%40landing.example&lead_data%5Bscore%5D=7&lead_data%5Bid%5D=lp-77121"
                + "&meta_data%5Bpage_url%5D=https%3A%2F%2Flanding.example%2Fform&utm_data%5Butm_source%5D=vk");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        JsonNode oleg = profile("oleg@landing.example");
        assertThat(oleg).isNotNull();
        JsonNode oh = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + oleg.get("id").asText() + "/history?type=form.submitted", null)
                .json();
        assertThat(oh.at("/events/0/properties/answers/score").asInt()).isEqualTo(7);
        assertThat(oh.at("/events/0/properties").toString()).contains("\"utm_source\":\"vk\"");
        Reply bad = hook(url, "lead_data%5Bemail%5D=not-an-email&lead_data%5Bscore%5D=7");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("answers.email");
    }

    @Test
    void aFormAskingForAProofOfWorkRefusesSubmissionsWithoutOne() throws Exception {
        Reply bad = json(port, "PUT", "/api/v1/forms/" + form, Map.of("spam", Map.of("minSeconds", 0, "perMinute", 100, "work", 40)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"spam.work\"");
        assertThat(json(port, "PUT", "/api/v1/forms/" + form, Map.of("spam", Map.of("minSeconds", 0, "perMinute", 100, "work", 10))).status())
                .isEqualTo(200);
        String shown = shown();
        assertThat(publicCall("GET", "/t/f/" + form + "/form.js", null).body()).contains("\"work\":10");
        Reply lazy = submit(submission("sub-lazy-001", shown, Map.of("email", "lazy@shop.example", "score", 9)));
        assertThat(lazy.status()).as("no proof of work").isEqualTo(422);
        Map<String, Object> stolen = submission("sub-stolen-1", shown, Map.of("email", "stolen@shop.example", "score", 9));
        stolen.put("pow", work(shown, "sub-other-01", 10));
        assertThat(submit(stolen).status()).as("a proof made for another submission").isEqualTo(422);
        Map<String, Object> worked = submission("sub-work-001", shown, Map.of("email", "worked@shop.example", "score", 9));
        worked.put("pow", work(shown, "sub-work-001", 10));
        Reply ok = submit(worked);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(profile("worked@shop.example")).isNotNull();
        assertThat(profile("lazy@shop.example")).isNull();
    }

    @Test
    void wrongAnswersAndBadBodiesAreRefusedByNameAndNothingIsKept() throws Exception {
        String shown = shown();
        Thread.sleep(1_100);
        Reply bad = submit(submission("sub-bad-0001", shown, Map.of("email", "not-an-email", "score", 11, "name", "x".repeat(61),
                "extra", "?")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        bad.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("answers.email", "answers.score", "answers.name", "answers.extra");
        assertThat(bad.body()).doesNotContain("Exception").doesNotContain("org.orbita");
        Reply missing = submit(submission("sub-bad-0002", shown, Map.of("name", "Dee")));
        assertThat(missing.json().get("errors").toString()).contains("answers.email").contains("answers.score").contains("is required");
        assertThat(publicCall("POST", "/t/f/" + form + "/submit", "{not json").status()).isEqualTo(400);
        assertThat(publicCall("POST", "/t/f/" + form + "/submit", "[1,2]").status()).isEqualTo(400);
        assertThat(publicCall("POST", "/t/f/" + form + "/submit", "{\"id\":\"x\"}").json().get("errors").toString()).contains("\"field\":\"id\"");
        assertThat(publicCall("POST", "/t/f/" + form + "/submit", "{\"id\":\"abcdefgh\",\"answers\":{\"name\":\"" + "y".repeat(70_000) + "\"}}")
                .status()).as("past 64 KB").isEqualTo(413);
        assertThat(publicCall("POST", "/t/f/no-such-form/submit", "{}").status()).isEqualTo(404);
        assertThat(publicCall("GET", "/t/f/" + form + "/submit", null).status()).isEqualTo(405);
        assertThat(publicCall("GET", "/t/f/no-such-form", null).status()).isEqualTo(404);
        assertThat(results().get("submissions").asInt()).isZero();
        assertThat(results().get("rejected").asInt()).as("wrong answers are the visitor's to correct, not spam").isZero();

        // unpublished: the page and its submissions are gone
        assertThat(json(port, "PUT", "/api/v1/forms/" + form, Map.of("published", false)).status()).isEqualTo(200);
        assertThat(publicCall("GET", "/t/f/" + form, null).status()).isEqualTo(404);
        assertThat(submit(submission("sub-late-001", shown, Map.of("email", "late@shop.example", "score", 1))).status()).isEqualTo(404);
        // the builder's preview shows it all the same, and sends nothing
        String token = forms.previewToken("demo", form);
        Reply preview = publicCall("GET", "/t/f/" + form + "?preview=" + token, null);
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.body()).contains("form.js?preview=" + token);
        assertThat(publicCall("GET", "/t/f/" + form + "/form.js?preview=" + token, null).body()).contains("\"preview\":true");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        assertThat(publicCall("GET", "/t/f/" + form + "?preview=" + forged, null).status()).isEqualTo(404);
    }

    @Test
    void aFormIsCheckedWholeAgainstItsDatabase() {
        Reply r = json(port, "POST", "/api/v1/forms", Map.of("name", "Broken", "database", db, "matchBy", "name",
                "fields", List.of(Map.of("name", "Email", "type", "email", "label", Map.of("en", "Email")),
                        Map.of("name", "age", "type", "number", "profileField", "email", "label", Map.of("en", "Age")),
                        Map.of("name", "pick", "type", "select", "label", Map.of("en", "Pick")),
                        Map.of("name", "later", "type", "text", "step", 3, "label", Map.of("en", "Later")),
                        Map.of("name", "cond", "type", "text", "label", Map.of("en", "C"), "showIf", Map.of("field", "nope", "values", List.of("a"))),
                        Map.of("name", "utm", "type", "hidden", "source", "cookie:x")),
                "consents", List.of(Map.of("name", "sms", "channel", "sms", "label", Map.of("en", "Texts"))),
                "theme", Map.of("primary", "red", "background", "#ffffff", "text", "#000000", "radius", 6, "font", "comic")));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("fields[0].name", "fields[1].profileField", "fields[2].options", "fields[3].step", "fields[4].showIf.field",
                "fields[5].source", "matchBy", "consents[0].channel", "theme.primary", "theme.font");
        assertThat(json(port, "POST", "/api/v1/forms", Map.of("name", "x", "database", "nope")).status()).isEqualTo(400);
    }
}
