package org.orbita.forms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A form or a survey of a workspace: its questions ({@link Field}), which profile field each
 * fills, the unique field a submission finds its profile by ({@code matchBy}), the consents it
 * asks (each a subscription to a resource), its texts per language, its colours, and its spam
 * defences. Its {@code id} is public: the embed code, the hosted page and the submissions carry it.
 * Nothing is accepted before it is {@code published}.
 */
public record Form(String id, String workspaceId, String name, String database, String matchBy, List<Field> fields, List<Consent> consents,
                   Map<String, Texts> texts, Theme theme, Spam spam, boolean published, Instant createdAt, Instant updatedAt) {

    public Form {
        fields = fields == null ? List.of() : List.copyOf(fields);
        consents = consents == null ? List.of() : List.copyOf(consents);
        texts = texts == null ? Map.of() : Map.copyOf(texts);
        theme = theme == null ? Theme.DEFAULT : theme;
        spam = spam == null ? Spam.DEFAULT : spam;
    }

    /**
     * A question. {@code type}: {@code text}, {@code textarea}, {@code email}, {@code phone},
     * {@code number}, {@code date}, {@code select}, {@code radio}, {@code checkboxes} (several of
     * {@code options}), {@code checkbox} (yes or no), {@code rating} (1 to 5), {@code nps} (0 to
     * 10), {@code hidden} (filled from the page: {@code source} is {@code page}, {@code referrer},
     * {@code utm_source} … {@code utm_content} or {@code query:name}). {@code profileField}: the
     * field of the database it fills (none: the answer is only in the submission). {@code step}:
     * the page of a multi-step survey it is on (1 first). {@code showIf}: asked only when an
     * earlier question's answer is one of {@code values}; unasked, it is neither required nor kept.
     */
    public record Field(String name, String type, Map<String, String> label, String profileField, boolean required, String pattern,
                        Integer minLength, Integer maxLength, List<Option> options, Integer step, ShowIf showIf, String source) {

        public Field {
            label = label == null ? Map.of() : Map.copyOf(label);
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    /** A choice of a {@code select}, {@code radio} or {@code checkboxes} question: what is stored, and what is shown per language. */
    public record Option(String value, Map<String, String> label) {

        public Option {
            label = label == null ? Map.of() : Map.copyOf(label);
        }
    }

    /** Asked only when the answer to {@code field} (an earlier question) is one of {@code values}. */
    public record ShowIf(String field, List<String> values) {

        public ShowIf {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /**
     * A consent checkbox: ticked, the profile is subscribed on {@code channel} (its address from the
     * form's email or phone answer) to {@code resource}; {@code required} ones must be ticked. With
     * {@code confirm} (an email message's id) it is a double opt-in: the subscription waits as
     * {@code pending} and that message is sent with {@code {{ data.confirm_url }}}, the link that
     * makes it active.
     */
    public record Consent(String name, String channel, String resource, Map<String, String> label, boolean required, String confirm) {

        public Consent {
            label = label == null ? Map.of() : Map.copyOf(label);
        }
    }

    /** What the form says in one language. */
    public record Texts(String title, String description, String submit, String success, String next, String back) {}

    /** Colours (#rrggbb), corner radius in pixels, and a font family from a fixed list. */
    public record Theme(String primary, String background, String text, Integer radius, String font) {
        public static final Theme DEFAULT = new Theme("#4f46e5", "#ffffff", "#111827", 6, "system");
    }

    /**
     * Spam defences beyond the honeypot every form has: a submission faster than {@code minSeconds}
     * after the form was shown, or more than {@code perMinute} from one address, or — when
     * {@code work} is above 0 — without a proof of work (a nonce that makes SHA-256 of
     * {@code shown:id:nonce} start with {@code work} zero bits: about 2^work hashes in the
     * visitor's browser, one on the server), is refused and kept as rejected — never a profile.
     */
    public record Spam(int minSeconds, int perMinute, int work) {
        public static final Spam DEFAULT = new Spam(3, 10, 0);
    }

    public java.util.Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
