package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orbita.mta.bounces.BounceReader;
import org.orbita.mta.bounces.Report;

class BounceReaderTest {

    static List<Report> read(String message) {
        return BounceReader.read(message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDeliveryStatusNotificationReportsEachFailedRecipient() {
        List<Report> r = read("""
                From: MAILER-DAEMON@mx.example (Mail Delivery System)
                To: bounces@bounce.shop.example
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Type: text/plain

                I'm sorry to have to inform you that your message could not be delivered.

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example
                Arrival-Date: Sun, 22 Nov 2026 10:00:00 +0000

                Final-Recipient: rfc822; ann@example.com
                Original-Recipient: rfc822;ann@example.com
                Action: failed
                Status: 5.1.1
                Diagnostic-Code: smtp; 550 5.1.1 <ann@example.com>: Recipient address
                    rejected: User unknown in virtual mailbox table

                Final-Recipient: rfc822; bob@example.com
                Action: delayed
                Status: 4.2.2
                Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

                Final-Recipient: rfc822; kate@example.com
                Action: delivered
                Status: 2.0.0

                --B1
                Content-Type: text/rfc822-headers

                From: news@shop.example
                To: ann@example.com

                --B1--
                """);
        assertThat(r).hasSize(2);
        assertThat(r.get(0)).extracting(Report::recipient, Report::kind, Report::reason, Report::status)
                .containsExactly("ann@example.com", "hard", "userunknown", "5.1.1");
        assertThat(r.get(0).diagnostic()).contains("User unknown in virtual mailbox table");
        assertThat(r.get(1)).extracting(Report::recipient, Report::kind, Report::reason, Report::status)
                .containsExactly("bob@example.com", "soft", "mailboxfull", "4.2.2");
    }

    @Test
    void aFeedbackReportIsAComplaintAboutTheOriginalRecipient() {
        List<Report> r = read("""
                From: feedback@fbl.mailbox.example
                To: fbl@shop.example
                Subject: FW: Autumn sale
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="part"

                --part
                Content-Type: text/plain

                This is an email abuse report.
                --part
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: SomeFBL/1.0
                Version: 1
                Original-Mail-From: <bounces@shop.example>
                Arrival-Date: Sun, 22 Nov 2026 10:00:00 +0000

                --part
                Content-Type: message/rfc822

                From: news@shop.example
                To: Ann <ann@example.com>
                Subject: Autumn sale
                X-Orbita-Key: run42/p7/email

                Hello
                --part--
                """);
        // the original's key names the message the complaint is about, for the platform's history
        assertThat(r).singleElement().extracting(Report::recipient, Report::kind, Report::reason, Report::key)
                .containsExactly("ann@example.com", "complaint", "feedback", "run42/p7/email");
    }

    @Test
    void outOfOfficeRepliesAreVacationAndProseBouncesAreReadForTheirCodes() {
        assertThat(read("From: ann@example.com\nTo: news@shop.example\nAuto-Submitted: auto-replied\nSubject: Out of office\n\nBack Monday.\n"))
                .singleElement().extracting(Report::kind, Report::reason).containsExactly("none", "vacation");
        assertThat(read("""
                From: postmaster@corp.example
                To: bounces@shop.example
                Subject: Delivery has failed to these recipients

                Your message to carl@corp.example couldn't be delivered.
                Remote server returned '550 5.7.1 Message rejected as spam by Content Filtering'
                """)).singleElement().extracting(Report::recipient, Report::kind, Report::reason, Report::status)
                // Sisimai's policy: only an address that does not exist (or moved, or whose host does not) is hard
                .containsExactly("carl@corp.example", "soft", "spamdetected", "5.7.1");
        assertThat(read("From: friend@example.com\nTo: ann@example.com\nSubject: lunch?\n\nAt 1?\n")).isEmpty();
    }

    @Test
    void aReceivingSitesOwnWordsDecideAsSisimaiReadsThatSite() {
        String report = """
                From: MAILER-DAEMON@mx.example (Mail Delivery System)
                To: bounces@bounce.shop.example
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example

                Final-Recipient: rfc822; %s
                Action: failed
                Status: 5.0.0
                Remote-MTA: dns; %s
                Diagnostic-Code: smtp; %s

                --B1--
                """;
        // au (KDDI): "550 : User unknown" is its filter, "<…>: User unknown" an unknown address
        assertThat(read(report.formatted("ann@ezweb.ne.jp", "lsean.ezweb.ne.jp", "550 : User unknown")))
                .singleElement().extracting(Report::kind, Report::reason).containsExactly("soft", "filtered");
        assertThat(read(report.formatted("ann@ezweb.ne.jp", "lsean.ezweb.ne.jp", "550 <ann@ezweb.ne.jp>: User unknown")))
                .singleElement().extracting(Report::kind, Report::reason).containsExactly("hard", "userunknown");
        // Tencent QQ: a rate limit, whatever the reply code says
        assertThat(read(report.formatted("bo@qq.example.cn", "mx3.qq.com", "550 Ip frequency limited [Blocked IP 192.0.2.22]")))
                .singleElement().extracting(Report::kind, Report::reason).containsExactly("soft", "toomanyconn");
        // the same words from a site without a reader of its own: the general rules
        assertThat(read(report.formatted("bo@other.example", "mx.other.example", "550 Ip frequency limited")))
                .singleElement().extracting(Report::reason).isNotEqualTo("toomanyconn");
    }
}
