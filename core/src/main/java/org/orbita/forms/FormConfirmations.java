package org.orbita.forms;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.orbita.common.Signer;
import org.orbita.content.Message;
import org.orbita.events.Event;
import org.orbita.forms.Form.Consent;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.Subscription;
import org.orbita.profiles.WriteMode;
import org.orbita.sending.DirectSends;
import org.orbita.sending.SendChannel;

/**
 * Double opt-in: a valid submission that ticked a consent with a confirmation message left its
 * subscription {@code pending}; this sends that message (an event-bus listener on
 * {@code form.submitted}: after the submission is durable, off the writer's thread; a repeat of
 * the event sends nothing twice) with {@code {{ data.confirm_url }}}, a link signed for the form,
 * profile and consent, good for {@link #VALID}. Confirming makes the subscription active
 * ({@code subscription.subscribed} joins the history); a subscription no longer pending — active
 * already, or unsubscribed meanwhile — is left as it is.
 */
public final class FormConfirmations {

    public static final Duration VALID = Duration.ofDays(7);
    private static final String PURPOSE = "form-confirm";

    /** What a confirmation link did. */
    public enum Result { CONFIRMED, ALREADY, NOT_PENDING, NOT_VALID }

    private final Forms forms;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ProfileWriting writing;
    private final DirectSends sends;
    private final BiFunction<String, String, Optional<Message>> messages;
    private final FormLinks links;
    private final Signer signer;
    private final Clock clock;

    public FormConfirmations(Forms forms, ClientDatabases databases, ProfileStore profiles, ProfileWriting writing, DirectSends sends,
                             BiFunction<String, String, Optional<Message>> messages, FormLinks links, Signer signer, Clock clock) {
        this.forms = forms;
        this.databases = databases;
        this.profiles = profiles;
        this.writing = writing;
        this.sends = sends;
        this.messages = messages;
        this.links = links;
        this.signer = signer;
        this.clock = clock;
    }

    /** Whether an event asks for confirmations (the listener's filter). */
    public static boolean wanted(Event e) {
        return e.type().equals(FormSubmissions.SUBMITTED) && e.properties().get("confirm") instanceof List<?>;
    }

    /** Sends the confirmation message of each consent the submissions ask to confirm. */
    public void submitted(List<Event> events) {
        for (Event e : events) {
            if (!wanted(e) || !(e.properties().get("form") instanceof String formId)) {
                continue;
            }
            Form form = forms.find(formId).orElse(null);
            Profile p = profiles.find(e.databaseId(), e.profileId()).orElse(null);
            if (form == null || p == null) {
                continue; // deleted since: nothing to confirm
            }
            for (Object name : (List<?>) e.properties().get("confirm")) {
                Consent c = form.consents().stream().filter(x -> x.name().equals(name) && x.confirm() != null).findFirst().orElse(null);
                Message m = c == null ? null : messages.apply(form.workspaceId(), c.confirm()).orElse(null);
                if (m == null) {
                    continue; // the consent or its message is gone: the subscription stays pending
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("confirm_url", link(form, p.id(), c.name()));
                data.put("form", form.name());
                sends.transactional(form.workspaceId(), e.databaseId(), m, p, List.of(SendChannel.EMAIL), data, "confirm-" + e.id() + "-" + c.name());
            }
        }
    }

    /** The signed link that confirms one consent of one profile. */
    String link(Form form, String profileId, String consent) {
        return links.base(form) + "/confirm?t=" + signer.expiring(PURPOSE, form.id() + "." + profileId + "." + consent, clock.instant().plus(VALID));
    }

    /** Whether a confirmation token checks and is in time (the page asks before confirming). */
    public boolean valid(String formId, String token) {
        return parse(formId, token) != null;
    }

    /** Confirms: the pending subscription becomes active. */
    public Result confirm(String formId, String token) {
        String[] t = parse(formId, token);
        if (t == null) {
            return Result.NOT_VALID;
        }
        Form form = forms.find(formId).orElse(null);
        Consent c = form == null ? null : form.consents().stream().filter(x -> x.name().equals(t[2])).findFirst().orElse(null);
        ClientDatabase db = form == null ? null : databases.find(form.database()).orElse(null);
        Profile p = db == null ? null : profiles.find(db.id(), t[1]).orElse(null);
        if (c == null || p == null) {
            return Result.NOT_VALID;
        }
        Optional<Subscription> s = p.subscriptions().stream().filter(x -> x.channel() == Channel.EMAIL && x.resource().equals(c.resource())
                && (x.status() == Subscription.Status.PENDING || x.status() == Subscription.Status.ACTIVE)).findFirst();
        if (s.isEmpty()) {
            return Result.NOT_PENDING;
        }
        if (s.get().status() == Subscription.Status.ACTIVE) {
            return Result.ALREADY;
        }
        writing.write(db, new ProfileChange(ProfileKey.MERGED_ID, p.id(), Map.of(), List.of(new ProfileChange.SubscriptionInput("email",
                s.get().address(), c.resource(), "active")), null, null), WriteMode.UPDATE, ProfileSource.FORM);
        return Result.CONFIRMED;
    }

    /** form id, profile id, consent — when the token is this form's, signed and in time. */
    private String[] parse(String formId, String token) {
        String[] t = signer.unexpired(PURPOSE, token, clock.instant()).map(body -> body.split("\\.")).orElse(null);
        return t == null || t.length != 3 || !t[0].equals(formId) ? null : t;
    }
}
