package org.orbita.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signature Version 4 against AWS's own test suite (aws-sig-v4-test-suite, as AWS publishes it and
 * its SDKs check it): the example credentials, 2015-08-30T12:36:00Z, us-east-1, service "service".
 */
class AwsSigV4Test {

    static final AwsSigV4.Credentials EXAMPLE = new AwsSigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    static final Instant WHEN = Instant.parse("2015-08-30T12:36:00Z");

    private static String authorization(String method, String url) {
        return AwsSigV4.sign(method, URI.create(url), Map.of(), new byte[0], "us-east-1", "service", EXAMPLE, WHEN).get("Authorization");
    }

    @Test
    void theSuitesVanillaRequestsAreSignedAsAwsSignsThem() {
        assertThat(authorization("GET", "https://example.amazonaws.com/")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
                + "service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        // get-vanilla-query-order-key-case: the query is sorted before signing
        assertThat(authorization("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1"))
                .endsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
        assertThat(AwsSigV4.sign("GET", URI.create("https://example.amazonaws.com/"), Map.of(), null, "us-east-1", "service", EXAMPLE, WHEN))
                .containsEntry("X-Amz-Date", "20150830T123600Z").doesNotContainKey("X-Amz-Security-Token");
        assertThat(AwsSigV4.encode("a b/ü~")).isEqualTo("a%20b%2F%C3%BC~");
        assertThat(EXAMPLE.toString()).doesNotContain("EXAMPLEKEY");
    }
}
