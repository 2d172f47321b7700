package org.orbita.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The device, OS and browser names against uap-core's own test suite (tests/test_ua.yaml,
 * test_os.yaml, test_device.yaml at e3c5e63, Apache-2.0, vendored under test resources
 * uap-core/), run on the vendored rules as Orbita loads them; and Orbita's device types on
 * agents seen in opens and clicks.
 */
class UserAgentsTest {

    @Test
    void browsersAsUapCoreExpects() throws IOException {
        double share = conformance("test_ua.yaml", ua -> {
            ua_parser.UserAgent a = UserAgents.parser().parseUserAgent(ua);
            return List.of(a.family, s(a.major), s(a.minor), s(a.patch));
        }, t -> List.of(s(t.get("family")), s(t.get("major")), s(t.get("minor")), s(t.get("patch"))));
        assertThat(share).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void systemsAsUapCoreExpects() throws IOException {
        double share = conformance("test_os.yaml", ua -> {
            ua_parser.OS o = UserAgents.parser().parseOS(ua);
            return List.of(o.family, s(o.major), s(o.minor), s(o.patch), s(o.patchMinor));
        }, t -> List.of(s(t.get("family")), s(t.get("major")), s(t.get("minor")), s(t.get("patch")), s(t.get("patch_minor"))));
        assertThat(share).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void devicesAsUapCoreExpects() throws IOException {
        double share = conformance("test_device.yaml.gz", ua -> List.of(UserAgents.parser().parseDevice(ua).family),
                t -> List.of(s(t.get("family"))));
        assertThat(share).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void devicesOfOpensAndClicks() {
        assertThat(UserAgents.classify("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"))
                .isEqualTo(new UserAgents.Client("mobile", "iOS", "Mobile Safari UI/WKWebView"));
        assertThat(UserAgents.classify("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1").device())
                .isEqualTo("tablet");
        assertThat(UserAgents.classify("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"))
                .isEqualTo(new UserAgents.Client("mobile", "Android", "Chrome Mobile"));
        assertThat(UserAgents.classify("Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36").device())
                .isEqualTo("tablet");
        assertThat(UserAgents.classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"))
                .isEqualTo(new UserAgents.Client("desktop", "Windows", "Edge"));
        assertThat(UserAgents.classify("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Thunderbird/125.0"))
                .isEqualTo(new UserAgents.Client("desktop", "Mac OS X", "Thunderbird"));
        assertThat(UserAgents.classify("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"))
                .isEqualTo(new UserAgents.Client("unknown", "Other", "GmailImageProxy"));
        assertThat(UserAgents.classify("Mozilla/5.0").device()).isEqualTo("machine");
        assertThat(UserAgents.classify(null).device()).isEqualTo("machine");
        assertThat(UserAgents.classify("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").device()).isEqualTo("machine");
        assertThat(UserAgents.classify("x".repeat(5_000)).device()).isEqualTo("unknown");
    }

    /** The share of the suite's cases whose parsed fields equal the expected ones; prints the figure and the first misses. */
    private static double conformance(String file, Function<String, List<String>> parse, Function<Map<String, Object>, List<String>> expected) throws IOException {
        List<Map<String, Object>> cases = cases(file);
        int passed = 0;
        List<String> misses = new ArrayList<>();
        for (Map<String, Object> t : cases) {
            String ua = String.valueOf(t.get("user_agent_string"));
            List<String> got = parse.apply(ua);
            List<String> want = expected.apply(t);
            if (got.equals(want)) {
                passed++;
            } else if (misses.size() < 5) {
                misses.add(ua + " → " + got + " expected " + want);
            }
        }
        double share = (double) passed / cases.size();
        System.out.printf("uap-core %s: %d of %d cases (%.2f %%); first misses %s%n", file, passed, cases.size(), share * 100, misses);
        assertThat(cases).hasSizeGreaterThan(400);
        return share;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases(String file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        try (InputStream raw = Objects.requireNonNull(UserAgentsTest.class.getResourceAsStream("/uap-core/" + file));
                InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            Map<String, Object> doc = new Yaml(options).load(in);
            return ((List<Map<String, Object>>) doc.get("test_cases")).stream().filter(t -> !t.containsKey("js_ua")).toList();
        }
    }

    private static String s(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
