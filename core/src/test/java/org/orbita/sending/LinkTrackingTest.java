package org.orbita.sending;

import static org.assertj.core.api.Assertions.assertThat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.orbita.content.Links;

class LinkTrackingTest {

    private final LinkTracking tracking = new LinkTracking(new Links("https://t.example", "k".repeat(32).getBytes(StandardCharsets.UTF_8)));
    private final Links.Context send = new Links.Context("ws", "crm", "p1", "m1", 1L, "email", "c1", "run-1");

    @Test
    void everyHttpLinkGoesThroughAClickLinkButOneMarkedNotToTrack() {
        String html = "<p><a href=\"https://shop.example/sale\">Sale</a> <a data-orbita-notrack href=\"https://app.example/invitation/T0K\">"
                + "Set a password</a> <A HREF=\"https://shop.example/b\" DATA-ORBITA-NOTRACK=\"\">B</A></p>";
        String out = tracking.trackClicks(html, send);
        assertThat(out).doesNotContain("https://shop.example/sale\"").contains("href=\"https://t.example/t/");
        assertThat(out).contains("href=\"https://app.example/invitation/T0K\"").contains("HREF=\"https://shop.example/b\"");
    }

    @Test
    void theMarkOnOneTagDoesNotSpillOntoTheNext() {
        String html = "<a data-orbita-notrack href=\"https://a.example/\">A</a><a href=\"https://b.example/\">B</a>";
        String out = tracking.trackClicks(html, send);
        assertThat(out).contains("href=\"https://a.example/\"").doesNotContain("href=\"https://b.example/\"");
    }
}
