package org.orbita.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.orbita.sending.SendChannel;

/**
 * The UI's texts in both languages: the same keys in English and Russian, every key the views
 * name literally present in both, and every key the views build from a value (a channel's
 * label) present for every value — a missing one shows as {@code !key} on the page.
 */
class BundlesTest {

    private static final Pattern LITERAL = Pattern.compile("getTranslation\\(\"([A-Za-z0-9_.-]+)\"\\s*[,)]");

    static Properties bundle(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = BundlesTest.class.getResourceAsStream("/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        Set<String> en = new TreeSet<>(bundle("orbita-ui.properties").stringPropertyNames());
        Set<String> ru = new TreeSet<>(bundle("orbita-ui_ru.properties").stringPropertyNames());
        assertThat(new TreeSet<>(en) {{ removeAll(ru); }}).as("in English, not in Russian").isEmpty();
        assertThat(new TreeSet<>(ru) {{ removeAll(en); }}).as("in Russian, not in English").isEmpty();
    }

    @Test
    void everyKeyTheViewsNameExists() throws IOException {
        Properties en = bundle("orbita-ui.properties");
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = LITERAL.matcher(Files.readString(f));
                while (m.find()) {
                    if (!en.containsKey(m.group(1))) {
                        missing.add(m.group(1) + " (" + f.getFileName() + ")");
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyChannelHasItsLabel() throws IOException {
        Properties en = bundle("orbita-ui.properties");
        assertThat(Arrays.stream(SendChannel.values()).map(c -> "messages.channel." + c.id()).filter(k -> !en.containsKey(k)).toList())
                .isEmpty();
    }

    @Test
    void everyPermissionAndResourceHasItsWordsInBothLanguages() throws IOException {
        for (String file : List.of("orbita-ui.properties", "orbita-ui_ru.properties")) {
            Properties b = bundle(file);
            List<String> missing = new java.util.ArrayList<>();
            for (org.orbita.access.Permission p : org.orbita.access.Permission.all()) {
                Stream.of("permission." + p.id(), "resource." + p.resource().id()).filter(k -> !b.containsKey(k)).forEach(missing::add);
            }
            assertThat(missing.stream().distinct().toList()).as(file).isEmpty();
        }
    }

    @Test
    void everyReportKindMetricRateAndDimensionHasItsWordsInBothLanguages() throws IOException {
        for (String file : List.of("orbita-ui.properties", "orbita-ui_ru.properties")) {
            Properties b = bundle(file);
            Stream<String> keys = Stream.of(
                    Arrays.stream(org.orbita.reports.ReportKind.values()).map(k -> "reports.kind." + k.id()),
                    Arrays.stream(org.orbita.reports.Metric.values()).map(k -> "reports.metric." + k.id()),
                    Arrays.stream(org.orbita.reports.Rate.values()).map(k -> "reports.rate." + k.id()),
                    Arrays.stream(org.orbita.reports.Dimension.values()).map(k -> "reports.dim." + k.id())).flatMap(s -> s);
            assertThat(keys.filter(k -> !b.containsKey(k)).toList()).as(file).isEmpty();
        }
    }

    @Test
    void everyTagManagerAndFormKindHasItsWordsInBothLanguages() throws IOException {
        for (String file : List.of("orbita-ui.properties", "orbita-ui_ru.properties")) {
            Properties b = bundle(file);
            Stream<String> keys = Stream.of(
                    org.orbita.sites.TagContainers.TAG_KINDS.stream().map(k -> "tags.kind." + k),
                    org.orbita.sites.TagContainers.TRIGGER_KINDS.stream().map(k -> "tags.trigger." + k),
                    org.orbita.sites.TagContainers.VARIABLE_KINDS.stream().map(k -> "tags.variable." + k),
                    org.orbita.sites.TagContainers.VARIABLE_KINDS.stream().map(k -> "tags.keyHelp." + k),
                    org.orbita.sites.TagContainers.URL_PARTS.stream().map(k -> "tags.part." + k),
                    org.orbita.sites.TagContainers.CONSENT_CATEGORIES.stream().map(k -> "tags.consent." + k),
                    org.orbita.forms.Forms.TYPES.stream().map(k -> "forms.type." + k),
                    org.orbita.forms.Forms.FONTS.stream().map(k -> "forms.font." + k)).flatMap(s -> s);
            assertThat(keys.filter(k -> !b.containsKey(k)).toList()).as(file).isEmpty();
            assertThat(new java.text.MessageFormat(b.getProperty("tags.conditionsHelp")).format(new Object[] {"Page URL"})).as(file)
                    .contains("{{").contains("Page URL");
        }
    }

    @Test
    void everyJobKindHasItsLabelInBothLanguages() throws IOException {
        for (String file : List.of("orbita-ui.properties", "orbita-ui_ru.properties")) {
            Properties b = bundle(file);
            assertThat(java.util.stream.Stream.of(org.orbita.profiles.imports.ProfileImport.KIND, org.orbita.profiles.ProfileCopy.KIND,
                            org.orbita.campaigns.CampaignRun.KIND, org.orbita.audiences.SegmentJobs.KIND)
                    .map(k -> "jobs.kind." + k).filter(k -> !b.containsKey(k)).toList()).as(file).isEmpty();
        }
    }

    @Test
    void everyJourneyNodeAndSettingHasItsWordsInBothLanguages() throws IOException {
        Properties en = bundle("orbita-ui.properties");
        for (String file : List.of("orbita-ui.properties", "orbita-ui_ru.properties")) {
            Properties b = bundle(file);
            List<String> missing = new java.util.ArrayList<>();
            for (org.orbita.journeys.NodeType t : org.orbita.journeys.NodeCatalog.all()) {
                Stream.of("journeys.type." + t.id(), "journeys.type." + t.id() + ".help").filter(k -> !b.containsKey(k)).forEach(missing::add);
                for (org.orbita.journeys.NodeType.Setting s : t.settings()) {
                    String k = "journeys.setting." + t.id() + "." + s.name();
                    Stream.of(k, k + ".help").filter(x -> !b.containsKey(x)).forEach(missing::add);
                }
            }
            assertThat(missing).as(file).isEmpty();
        }
        // the English words are the catalog's own
        for (org.orbita.journeys.NodeType t : org.orbita.journeys.NodeCatalog.all()) {
            assertThat(en.getProperty("journeys.type." + t.id())).isEqualTo(t.label());
            for (org.orbita.journeys.NodeType.Setting s : t.settings()) {
                assertThat(en.getProperty("journeys.setting." + t.id() + "." + s.name())).isEqualTo(s.label());
            }
        }
    }

    /** Words a view shows that are written in it rather than taken from the bundles. */
    private static final Pattern SHOWN_LITERAL = Pattern.compile("(?:new (?:Button|Span|H1|H2|H3|H4|Paragraph|Checkbox|TextField|TextArea|"
            + "Details|Tab|NativeLabel|Div)\\(|\\.(?:setText|setHeader|setLabel|setPlaceholder|setHelperText|setHeaderTitle|setAriaLabel|"
            + "setTooltipText|setConfirmText|setCancelText|setRejectText|setTitle)\\()\"((?:[^\"\\\\]|\\\\.)*[A-Za-z](?:[^\"\\\\]|\\\\.)*)\"");
    /** Not words: the brand, and examples of what is typed (addresses, identifiers, a schedule). */
    private static final Set<String> NOT_WORDS = Set.of("Orbita", "UTC", "URL", "0 0 10 * * MON-FRI", "purchase, email.opened",
            "email,first_name\\nann@example.com,Ann", "jdbc:postgresql://host:5432/crm", "campaigns:launch", "cn=Marketing,ou=groups,dc=corp,dc=example = marketer", "ldaps://dc1.corp.example:636\\nldaps://dc2.corp.example:636", "news.shop.example", "https://click.shop.example",
            "number(\\\"age\\\") >= 18 && eventCount(\\\"purchase\\\", 30) > 1");

    @Test
    void noViewWritesItsOwnWords() throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = SHOWN_LITERAL.matcher(Files.readString(f));
                while (m.find()) {
                    if (!NOT_WORDS.contains(m.group(1))) {
                        found.add("\"" + m.group(1) + "\" (" + f.getFileName() + ")");
                    }
                }
            }
        }
        assertThat(found).as("texts written in views: take them from the bundles").isEmpty();
    }
}
