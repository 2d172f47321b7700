package org.orbita.sending;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.content.Message;
import org.orbita.profiles.Profile;

/**
 * <em>Send a test</em> from the message editor: the message in the channels asked, each to the
 * address typed for it, rendered with a chosen profile's data; then what became of each send, as
 * its provider or the MTA reported it. Tests never reach a profile's history or any figure.
 */
public final class MessageTests {

    /** One channel of a test: where it stands ({@code queued}, {@code delivered}, {@code failed}…) and what was said. */
    public record Outcome(String channel, String state, String detail) {}

    private final DirectSends sends;
    private final SendLedger ledger;
    private final Supplier<Set<String>> channelsWithProvider;

    public MessageTests(DirectSends sends, SendLedger ledger, Supplier<Set<String>> channelsWithProvider) {
        this.sends = sends;
        this.ledger = ledger;
        this.channelsWithProvider = channelsWithProvider;
    }

    /**
     * Sends the test; {@code to} maps a channel id to its address (webhook and inbox take none:
     * an empty value). Returns the test's id for {@link #outcomes}.
     */
    public String send(String workspaceId, String databaseId, Message message, Profile dataFrom, Map<String, String> to) {
        List<FieldError> errors = new ArrayList<>();
        Map<SendChannel, String> wanted = new LinkedHashMap<>();
        if (to == null || to.isEmpty()) {
            errors.add(FieldError.of("to", null, "name at least one channel and its address, such as {\"email\": \"me@example.com\"}"));
        } else {
            Set<String> available = channelsWithProvider.get();
            for (Map.Entry<String, String> e : to.entrySet()) {
                SendChannel c = SendChannel.find(e.getKey()).orElse(null);
                if (c == null || !message.channels().contains(e.getKey())) {
                    errors.add(FieldError.of("to." + e.getKey(), e.getValue(), "must be a channel of the message " + message.channels()));
                } else if (!available.contains(e.getKey())) {
                    errors.add(FieldError.of("to." + e.getKey(), e.getValue(), "has no provider configured (Settings → Channel providers)"));
                } else {
                    wanted.put(c, e.getValue());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        DirectSends.Test test = sends.test(workspaceId, databaseId, message, dataFrom, wanted);
        List<DirectSends.Sent> sent = test.sent();
        DirectSends.Sent refused = sent.stream().filter(s -> s.state() == LedgerState.FAILED || s.state() == LedgerState.SKIPPED).findFirst()
                .orElse(null);
        if (refused != null && sent.size() == 1) {
            throw new InvalidInputException("to." + refused.channel().id(), wanted.get(refused.channel()), String.valueOf(refused.detail()));
        }
        return test.id();
    }

    /** Whether a channel has a provider to send through now (email: a mail sender node or a provider). */
    public boolean available(String channel) {
        return channelsWithProvider.get().contains(channel);
    }

    /** What became of each channel of a test of this workspace. */
    public List<Outcome> outcomes(String workspaceId, String testId) {
        SendLedger.Run run = ledger.run(testId).filter(r -> r.kind() == SendKind.TEST && r.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("test", testId));
        return ledger.entries(run.id(), null, 100).stream()
                .map(e -> new Outcome(e.channel().id(), e.state().id(), e.detail())).toList();
    }
}
