package org.orbita.ui.sending;

import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a profile is skipped, in the page's language. The send rules state their reasons in
 * English, as the ledger keeps them; each known shape is said again from the bundles, a
 * channel by its name. A reason of no known shape is shown as it was written.
 */
public final class SkipWords {

    /** A reason's shape, its words' key, and which of its groups name a channel. */
    private record Shape(Pattern pattern, String key, int channelGroup) {}

    private static final List<Shape> SHAPES = List.of(
            new Shape(Pattern.compile("no active (\\w+) subscription to (.+)"), "skip.noSubscriptionTo", 1),
            new Shape(Pattern.compile("no active (\\w+) subscription"), "skip.noSubscription", 1),
            new Shape(Pattern.compile("the observer has no active (\\w+) subscription"), "skip.observerNoSubscription", 1),
            new Shape(Pattern.compile("no (\\w+) address that can receive"), "skip.noAddress", 1),
            new Shape(Pattern.compile("the profile is suspended"), "skip.suspended", 0),
            new Shape(Pattern.compile("the profile was deleted"), "skip.deleted", 0),
            new Shape(Pattern.compile("frequency cap: (\\d+) (\\w+) message\\(s\\) in (\\d+) day\\(s\\) already"), "skip.frequencyCap", 2),
            new Shape(Pattern.compile("quiet hours until (.+)"), "skip.quietHours", 0));

    private SkipWords() {}

    /**
     * @param reason a reason as a send rule wrote it
     * @param words a bundle lookup: key and arguments to the words
     */
    public static String say(String reason, BiFunction<String, Object[], String> words) {
        if (reason == null) {
            return "";
        }
        for (Shape s : SHAPES) {
            Matcher m = s.pattern().matcher(reason);
            if (m.matches()) {
                Object[] args = new Object[m.groupCount()];
                for (int g = 1; g <= m.groupCount(); g++) {
                    args[g - 1] = g == s.channelGroup() ? words.apply("messages.channel." + m.group(g), new Object[0]) : m.group(g);
                }
                return words.apply(s.key(), args);
            }
        }
        return reason;
    }
}
