package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.orbita.mta.bounces.BounceReader;
import org.orbita.mta.bounces.Report;

/**
 * Bounce classification measured against the reference: Sisimai (Debian's libsisimai-perl)
 * and Orbita's {@link BounceReader} read the same 629 real bounce mails of Sisimai's public
 * corpus (vendored under src/test/resources/sisimai, BSD 2-Clause); for every recipient
 * Sisimai reports, the reasons and the hard/soft verdicts are compared. The target is 90 % and
 * 95 % (issue 16), reached; the test holds that level ({@link #REASON_FLOOR},
 * {@link #KIND_FLOOR}), raised as the reader improves, so it never falls back. Mails Sisimai
 * 4.25 itself cannot read, and delivery reports of success, are left out. Set ORBITA_TEST_SISIMAI=required to fail rather than skip where the oracle is missing.
 */
class BounceConformanceTest {

    /** The agreement reached so far, in percent: raised with every improvement, never lowered. */
    static final double REASON_FLOOR = 90.0;
    static final double KIND_FLOOR = 95.0;
    static final String UNDISCLOSED = "undisclosed-recipient-in-headers@libsisimai.org.invalid";
    static final Path CORPUS = Path.of("src/test/resources/sisimai/maildir/bsd");
    static final Path ORACLE = Path.of("src/test/sisimai/oracle.pl");

    private static boolean oracleInstalled() {
        try {
            return new ProcessBuilder("perl", "-MSisimai", "-e", "1").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One recipient as Sisimai reports it. */
    record Expected(String file, String recipient, String reason, String kind) {}

    private static List<Expected> oracle(List<Path> mails) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("perl", ORACLE.toString()));
        mails.forEach(m -> command.add(m.toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("the oracle ran").isZero();
        List<Expected> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length == 4 && !f[1].isEmpty() && !f[2].equals("delivered")) {
                rows.add(new Expected(f[0], f[1], f[2], f[3]));
            }
        }
        return rows;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** Sisimai's "neither hard nor soft" (vacation, feedback) is ours when the kind is neither. */
    private static String kind(Report r) {
        return r.kind().equals("hard") || r.kind().equals("soft") ? r.kind() : "none";
    }

    @Test
    void reasonsAndVerdictsAgreeWithSisimai() throws Exception {
        if (!"required".equals(System.getenv("ORBITA_TEST_SISIMAI"))) {
            assumeTrue(oracleInstalled(), "Debian's libsisimai-perl is not installed");
        }
        List<Path> mails;
        try (Stream<Path> files = Files.list(CORPUS)) {
            mails = files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
        }
        assertThat(mails).hasSize(629);
        List<Expected> expected = oracle(mails);
        Map<String, List<Report>> ours = new TreeMap<>();
        for (Path m : mails) {
            ours.put(m.getFileName().toString(), BounceReader.read(Files.readAllBytes(m)));
        }
        int reasons = 0;
        int kinds = 0;
        Map<String, int[]> bySender = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        for (Expected e : expected) {
            // Sisimai names an unknown recipient with a placeholder; Orbita leaves it empty (its return path may name it)
            String wanted = e.recipient().equals(UNDISCLOSED) ? null : e.recipient();
            Report r = ours.get(e.file()).stream().filter(x -> java.util.Objects.equals(wanted,
                            x.recipient() == null ? null : x.recipient().toLowerCase(Locale.ROOT)))
                    .findFirst().orElse(null);
            boolean reasonAgrees = r != null && e.reason().equals(r.reason());
            boolean kindAgrees = r != null && e.kind().equals(kind(r));
            reasons += reasonAgrees ? 1 : 0;
            kinds += kindAgrees ? 1 : 0;
            int[] s = bySender.computeIfAbsent(e.file().replaceAll("-\\d+\\.eml$", ""), k -> new int[3]);
            s[0]++;
            s[1] += reasonAgrees ? 1 : 0;
            s[2] += kindAgrees ? 1 : 0;
            if (!reasonAgrees || !kindAgrees) {
                misses.add(e.file() + " " + e.recipient() + ": sisimai " + e.reason() + "/" + e.kind() + ", orbita "
                        + (r == null ? "no report for the recipient; reported " + ours.get(e.file()).stream().map(Report::recipient).toList()
                        : r.reason() + "/" + kind(r) + " [" + r.status() + "] " + abbreviate(r.diagnostic())));
            }
        }
        double reasonShare = 100.0 * reasons / expected.size();
        double kindShare = 100.0 * kinds / expected.size();
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT,
                "%d recipients of %d mails: reasons agree %.1f %%, hard/soft agree %.1f %%%n", expected.size(), mails.size(), reasonShare, kindShare));
        bySender.forEach((sender, s) -> summary.append(String.format(Locale.ROOT, "  %-28s %3d  reasons %3d  kinds %3d%n", sender, s[0], s[1], s[2])));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "bounce-conformance.txt"), summary + "\n" + String.join("\n", misses) + "\n");
        System.out.print(summary);
        assertThat(reasonShare).as("reason agreement with Sisimai; see target/bounce-conformance.txt").isGreaterThanOrEqualTo(REASON_FLOOR);
        assertThat(kindShare).as("hard/soft agreement with Sisimai; see target/bounce-conformance.txt").isGreaterThanOrEqualTo(KIND_FLOOR);
    }
}
