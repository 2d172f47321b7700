package org.orbita.app.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.orbita.content.Message;
import org.orbita.profiles.Profile;
import org.orbita.sending.MessageTests;
import org.orbita.sending.SendChannel;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * The mail a workspace sends its own people: an invitation with its link. It goes the way a
 * message's test does (the send pipeline, the workspace's email provider or mail sender, its
 * outcome in the send ledger) and, like a test, reaches no profile's history and no report. The
 * link is built on {@code orbita.ui.url}, never on the request's Host header, so a forged header
 * cannot send someone a link to another site.
 */
@Service
public class TeamMail {

    /** What became of an invitation's mail: {@code queued} (with the send's id), or {@code not-sent} and why. */
    public record Mailed(String state, String sendId, String detail) {}

    /** The invitation's text; {@code [[…]]} is the link. */
    private static final String EN = """
            Hello {{ profile.name }},

            {% if profile.inviter %}{{ profile.inviter }} invites you{% else %}You are invited{% endif %} to the workspace \
            "{{ profile.workspace }}" on Orbita.

            [[Set your password and sign in]]

            The link works for 72 hours. If you did not expect this mail, delete it.""";

    private static final String RU = """
            Здравствуйте, {{ profile.name }}!

            {% if profile.inviter %}{{ profile.inviter }} приглашает вас{% else %}Вас приглашают{% endif %} в рабочее пространство \
            «{{ profile.workspace }}» в Orbita.

            [[Задать пароль и войти]]

            Ссылка действует 72 часа. Если вы не ждали этого письма, просто удалите его.""";

    private final MessageTests sends;
    private final String uiUrl;
    private final String from;
    private final Environment environment;

    public TeamMail(MessageTests sends, @Value("${orbita.ui.url:}") String uiUrl, @Value("${orbita.ui.mail-from:}") String from,
                    Environment environment) {
        this.sends = sends;
        this.environment = environment;
        this.uiUrl = uiUrl == null || uiUrl.isBlank() ? null : uiUrl.strip().replaceAll("/+$", "");
        this.from = from == null || from.isBlank() ? null : from.strip();
    }

    /** The address people reach the pages at: {@code orbita.ui.url}, else this server on localhost (its port once it listens). */
    private String uiUrl() {
        return uiUrl != null ? uiUrl : "http://localhost:" + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
    }

    /** The whole link of an invitation's token. */
    public String invitationLink(String token) {
        return uiUrl() + "/invitation/" + token;
    }

    /**
     * Mails an invitation in the inviter's language ({@code ru} or English); with no email
     * provider the mail is not sent and the answer says so (the link is then given by hand).
     */
    public Mailed invitation(String workspaceId, String workspaceName, String email, String name, String inviter, String token,
                             Instant expires, String language) {
        if (!sends.available("email")) {
            return new Mailed("not-sent", null, "no email provider or mail sender is configured: give the link yourself");
        }
        boolean ru = "ru".equals(language);
        // what the person typed goes in as data, never into the template's text
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("name", name, "workspace", workspaceName, "link", invitationLink(token),
                "expires", expires.toString()));
        if (inviter != null) {
            fields.put("inviter", inviter); // none: the mail says "you are invited"
        }
        Profile data = new Profile("invitation", null, fields, List.of(), List.of(), Profile.Status.ACTIVE, null, null, null);
        String subject = ru ? "Приглашение в Orbita: {{ profile.workspace }}" : "You are invited to {{ profile.workspace }} on Orbita";
        // the HTML escapes what people typed; the plain-text part needs no escaping
        String html = (ru ? RU : EN).replace("{{ profile.name }}", "{{ profile.name | escape }}")
                .replace("{{ profile.inviter }}", "{{ profile.inviter | escape }}").replace("{{ profile.workspace }}", "{{ profile.workspace | escape }}")
                .replace("[[", "<a data-orbita-notrack href=\"{{ profile.link }}\">").replace("]]", "</a>").replace("\n\n", "</p><p>");
        String text = (ru ? RU : EN).replace("[[", "").replace("]]", " ({{ profile.link }})");
        Message message = new Message("invitation", workspaceId, "Invitation", null, new Message.Email(subject, null, "Orbita",
                from != null ? from : "no-reply@" + java.net.URI.create(uiUrl()).getHost(), null, "<p>" + html + "</p>", text, false, "code", null),
                null, null, null, null, 1, null, null);
        String id = sends.send(workspaceId, null, message, data, Map.of(SendChannel.EMAIL.id(), email));
        return new Mailed("queued", id, null);
    }

    /**
     * Mails a notice of the platform (a pool running low, say) to a list of addresses, as plain
     * text; not sent, and the answer says why, without an email provider.
     */
    public Mailed notice(String workspaceId, String addresses, String subject, String text) {
        if (!sends.available("email")) {
            return new Mailed("not-sent", null, "no email provider or mail sender is configured");
        }
        Profile data = new Profile("notice", null, Map.of("subject", subject, "text", text), List.of(), List.of(), Profile.Status.ACTIVE, null,
                null, null);
        Message message = new Message("notice", workspaceId, "Notice", null, new Message.Email("{{ profile.subject }}", null, "Orbita",
                from != null ? from : "no-reply@" + java.net.URI.create(uiUrl()).getHost(), null,
                "<p>{{ profile.text | escape | newline_to_br }}</p>", "{{ profile.text }}", false, "code", null), null, null, null, null, 1, null, null);
        String last = null;
        for (String to : addresses.split("[,;\\s]+")) {
            if (!to.isBlank()) {
                last = sends.send(workspaceId, null, message, data, Map.of(SendChannel.EMAIL.id(), to.strip()));
            }
        }
        return new Mailed("queued", last, null);
    }

    /** What became of an invitation's mail since: the send's state ({@code queued}, {@code delivered}, {@code failed}…) and detail. */
    public Mailed since(String workspaceId, Mailed mailed) {
        if (mailed == null || mailed.sendId() == null) {
            return mailed;
        }
        return sends.outcomes(workspaceId, mailed.sendId()).stream().findFirst()
                .map(o -> new Mailed(o.state(), mailed.sendId(), o.detail())).orElse(mailed);
    }
}
