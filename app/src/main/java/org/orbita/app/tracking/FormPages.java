package org.orbita.app.tracking;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.forms.Form;
import org.orbita.forms.FormLinks;
import org.orbita.forms.FormConfirmations;
import org.orbita.forms.FormSubmissions;
import org.orbita.forms.Forms;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A published form on the recipients' origin ({@link PublicOrigin}: no cookies, no session): its
 * hosted page ({@code /t/f/{id}}, also what an iframe shows), the script that draws it in any page
 * ({@code /t/f/{id}/form.js}, made per request with a signed moment it was shown). What the drawn
 * form sends is answered by {@link FormCollect}.
 */
@RestController
class FormPages {

    private static final String SCRIPT = SiteCollection.resource("forms/form.js");

    private final Forms forms;
    private final FormSubmissions submissions;
    private final FormLinks links;

    private final FormConfirmations confirmations;

    FormPages(Forms forms, FormSubmissions submissions, FormLinks links, FormConfirmations confirmations) {
        this.confirmations = confirmations;
        this.forms = forms;
        this.submissions = submissions;
        this.links = links;
    }

    @GetMapping(value = "/t/f/{id}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@PathVariable String id, @RequestParam(required = false) String lang, @RequestParam(required = false) String preview,
                                @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String accept) {
        Form f = shown(id, preview);
        String language = language(lang, accept);
        Form.Texts t = f.texts().getOrDefault(language, f.texts().get("en"));
        String title = t != null && t.title() != null ? t.title() : f.name();
        String html = "<!doctype html><html lang=\"" + language + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + escape(title) + "</title></head>"
                + "<body style=\"margin:0;padding:16px;background:" + f.theme().background() + "\">"
                + "<div data-orbita-form=\"" + escape(f.id()) + "\" data-lang=\"" + language + "\"></div>"
                + "<script src=\"/t/f/" + escape(f.id()) + "/form.js" + (preview == null ? "" : "?preview=" + escape(preview)) + "\"></script></body></html>";
        return ResponseEntity.ok().contentType(new MediaType("text", "html", StandardCharsets.UTF_8)).cacheControl(CacheControl.noStore()).body(html);
    }

    @GetMapping(value = "/t/f/{id}/form.js")
    ResponseEntity<String> script(@PathVariable String id, @RequestParam(required = false) String lang,
                                  @RequestParam(required = false) String preview) {
        Form f = shown(id, preview);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", f.id());
        c.put("base", links.base(f));
        c.put("shown", submissions.shown(f.id()));
        c.put("preview", preview != null);
        if (lang != null) {
            c.put("lang", language(lang, null));
        }
        c.put("fields", f.fields());
        c.put("consents", f.consents());
        c.put("texts", f.texts());
        c.put("theme", f.theme());
        if (f.spam().work() > 0) {
            c.put("work", f.spam().work());
        }
        // a string in a script: nothing of a form's texts may close it
        String config = Json.write(c).replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        return ResponseEntity.ok().contentType(new MediaType("text", "javascript", StandardCharsets.UTF_8)).cacheControl(CacheControl.noStore())
                .header("Cross-Origin-Resource-Policy", "cross-origin").body(SCRIPT.replace("/*CONFIG*/{}", config));
    }

    /** A double opt-in's link: asks before confirming (GET changes nothing — mail scanners follow links). */
    @GetMapping(value = "/t/f/{id}/confirm", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> confirmPage(@PathVariable String id, @RequestParam(required = false) String t,
                                       @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String accept) {
        boolean ru = language(null, accept).equals("ru");
        if (!confirmations.valid(id, t)) {
            return message(HttpStatus.NOT_FOUND, ru ? "Ссылка недействительна или устарела." : "This link is not valid or has expired.");
        }
        return message(HttpStatus.OK, "<form method=\"post\"><input type=\"hidden\" name=\"t\" value=\"" + escape(t) + "\"><p>"
                + (ru ? "Подтвердите подписку:" : "Confirm your subscription:") + "</p><button type=\"submit\">"
                + (ru ? "Подтвердить" : "Confirm") + "</button></form>");
    }

    @PostMapping(value = "/t/f/{id}/confirm", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> confirm(@PathVariable String id, @RequestParam(required = false) String t,
                                   @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String accept) {
        boolean ru = language(null, accept).equals("ru");
        return switch (confirmations.confirm(id, t)) {
            case CONFIRMED, ALREADY -> message(HttpStatus.OK, ru ? "Подписка подтверждена. Спасибо!" : "Your subscription is confirmed. Thank you!");
            case NOT_PENDING -> message(HttpStatus.CONFLICT, ru ? "Эта подписка больше не ждёт подтверждения." : "This subscription no longer waits for"
                    + " confirmation.");
            case NOT_VALID -> message(HttpStatus.NOT_FOUND, ru ? "Ссылка недействительна или устарела." : "This link is not valid or has expired.");
        };
    }

    private static ResponseEntity<String> message(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(new MediaType("text", "html", StandardCharsets.UTF_8)).cacheControl(CacheControl.noStore())
                .body("<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Orbita</title>"
                        + "</head><body style=\"font-family:sans-serif;max-width:30em;margin:4em auto;padding:0 16px\">"
                        + (body.startsWith("<") ? body : "<p>" + body + "</p>") + "</body></html>");
    }

    /** The published form; with a preview token of the builder's, the form as it is now, published or not. */
    private Form shown(String id, String preview) {
        if (preview != null) {
            return forms.previewed(id, preview).orElseThrow(() -> new NotFoundException("form preview", id));
        }
        return forms.published(id).orElseThrow(() -> new NotFoundException("form", id));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        p.setTitle("Not found");
        return ResponseEntity.status(404).contentType(MediaType.APPLICATION_PROBLEM_JSON).header("Access-Control-Allow-Origin", "*").body(p);
    }

    private static String language(String lang, String accept) {
        String l = lang != null ? lang : accept == null ? "en" : accept;
        return l.toLowerCase(Locale.ROOT).startsWith("ru") ? "ru" : "en";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
