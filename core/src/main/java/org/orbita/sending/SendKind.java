package org.orbita.sending;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a run of sends is: what its outcomes are attributed to. */
public enum SendKind {
    /** A run of a one-time or regular campaign (a job). */
    CAMPAIGN,
    /** The copies of a campaign's message for its observer database, outside its figures. */
    OBSERVERS,
    /** One firing of a trigger campaign (an event, a segment entry, the API). */
    TRIGGER,
    /** A journey's send-message node for one instance. */
    JOURNEY,
    /** One transactional message. */
    TRANSACTIONAL,
    /**
     * A test of a message to addresses typed in the editor: in the ledger like any send, its
     * outcomes reported to whoever sent it, but never in a profile's history or any figure.
     */
    TEST;

    /** Test runs' ids begin with this, so a worker knows one without reading the ledger. */
    public static final String TEST_RUN_PREFIX = "test-";

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SendKind fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
