package org.orbita.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.InvalidInputException;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

class SenderDomainsTest {

    @TempDir
    Path dir;

    @Test
    void aDomainGetsAKeyWhoseRecordDnsIsCheckedAgainst() throws Exception {
        try (TxtNameServer ns = new TxtNameServer(); SqliteConnections db = new SqliteConnections(dir.resolve("s.db"), false)) {
            SenderDomains domains = new SenderDomains(new SqliteSettings(db), new MtaNodes(List.of(), Access.SYSTEM), new DnsTxt(List.of(ns.address())), Clock.systemUTC(), Access.SYSTEM);
            SenderDomains.SenderDomain d = domains.add("ws1", "News.Shop.Example.", "s1", null, null);
            assertThat(d.domain()).isEqualTo("news.shop.example");
            assertThat(d.algorithm()).isEqualTo("rsa");
            List<SenderDomains.DnsRecord> records = domains.records(d);
            assertThat(records).extracting(SenderDomains.DnsRecord::name)
                    .containsExactly("s1._domainkey.news.shop.example", "news.shop.example", "_dmarc.news.shop.example");
            String dkim = records.get(0).value();
            assertThat(dkim).startsWith("v=DKIM1; k=rsa; p=MII");
            // the published key is the public half of the kept key: it verifies what the kept key signs
            KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(d.publicKey())));

            assertThat(domains.check(d)).extracting(SenderDomains.RecordCheck::status).containsExactly("missing", "missing", "missing");
            ns.records.put("s1._domainkey.news.shop.example", List.of(dkim)); // 400 bytes: two strings
            ns.records.put("news.shop.example", List.of("google-site-verification=abc", "v=spf1 ip4:192.0.2.1 ~all"));
            ns.records.put("_dmarc.news.shop.example", List.of("v=DMARC1; p=quarantine"));
            List<SenderDomains.RecordCheck> ok = domains.check(d);
            assertThat(ok).extracting(SenderDomains.RecordCheck::status).containsExactly("ok", "ok", "ok");
            assertThat(ok.get(2).hint()).isEqualTo("policy quarantine");
            ns.records.put("s1._domainkey.news.shop.example", List.of("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAother"));
            ns.records.put("news.shop.example", List.of("v=spf1 a ~all", "v=spf1 mx ~all"));
            ns.refused.add("_dmarc.news.shop.example");
            assertThat(domains.check(d)).extracting(SenderDomains.RecordCheck::status).containsExactly("different", "different", "unanswered");
        }
    }

    @Test
    void aDomainBelongsToOneWorkspaceAndBadInputIsNamed() throws Exception {
        try (SqliteConnections db = new SqliteConnections(dir.resolve("s.db"), false)) {
            SenderDomains domains = new SenderDomains(new SqliteSettings(db), new MtaNodes(List.of(), Access.SYSTEM), new DnsTxt(List.of()), Clock.systemUTC(), Access.SYSTEM);
            domains.add("ws1", "shop.example", null, "ed25519", null);
            assertThat(domains.get("ws1", "shop.example").publicKey()).hasSize(44); // 32 bytes, Base64
            assertThatThrownBy(() -> domains.add("ws2", "SHOP.example", null, null, null)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("another workspace");
            assertThatThrownBy(() -> domains.get("ws2", "shop.example")).hasMessageContaining("shop.example");
            assertThat(domains.list("ws2")).isEmpty();
            assertThatThrownBy(() -> domains.add("ws1", "not a domain", null, null, null)).hasMessageContaining("domain");
            assertThatThrownBy(() -> domains.add("ws1", "b.example", "bad selector!", null, null)).hasMessageContaining("selector");
            assertThatThrownBy(() -> domains.add("ws1", "b.example", null, "dsa", null)).hasMessageContaining("rsa or ed25519");
            assertThatThrownBy(() -> domains.add("ws1", "b.example", null, null, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                    .hasMessageContaining("PKCS#8").hasMessageNotContaining("AAAA");
            var g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            var pair = g.generateKeyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            SenderDomains.SenderDomain brought = domains.add("ws1", "c.example", "k1", null, pem);
            assertThat(brought.publicKey()).isEqualTo(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            domains.remove("ws1", "c.example");
            assertThat(domains.list("ws1")).extracting(SenderDomains.SenderDomain::domain).containsExactly("shop.example");
        }
    }

    @Test
    void recordsOfSeveralStringsAreJoined() {
        assertThat(DnsTxt.joined("\"v=DKIM1; k=rsa; p=AB\" \"CD\"")).isEqualTo("v=DKIM1; k=rsa; p=ABCD");
        assertThat(DnsTxt.joined("v=spf1")).isEqualTo("v=spf1");
    }
}
