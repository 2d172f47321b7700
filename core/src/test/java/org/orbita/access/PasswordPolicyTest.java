package org.orbita.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.orbita.common.InvalidInputException;

class PasswordPolicyTest {

    static final PasswordPolicy P = new PasswordPolicy(12, 3, 3, 90, true);

    @Test
    void theWholeCommonListIsLoaded() {
        assertThat(PasswordPolicy.commonCount()).isGreaterThan(29_000);
        assertThat(PasswordPolicy.isCommon("password")).isTrue();
        assertThat(PasswordPolicy.isCommon("Qwerty")).isTrue();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "short1A!|must be at least 12 characters",
            "alllowercaseletters|must mix at least 3 kinds",
            "ALLUPPERandlower|must mix at least 3 kinds",
            "Mia.Larsen-2026!|must not contain your email",
            "Password12345678|is one of the most common passwords",
            "Sunshine!!!!!!2|is one of the most common passwords",
            "x|must be at least"})
    void refusesWithTheRuleNamed(String password, String rule) {
        assertThat(String.join("; ", P.problems(password, "mia.larsen@shop.example", p -> false))).contains(rule);
    }

    @Test
    void aGoodPasswordPassesAndAReusedOneDoesNot() {
        assertThat(P.problems("Tundra-Kettle-48", "mia.larsen@shop.example", p -> false)).isEmpty();
        assertThat(P.problems("Tundra-Kettle-48", "mia.larsen@shop.example", "Tundra-Kettle-48"::equals))
                .containsExactly("must not be one of your last 3 passwords");
        assertThatThrownBy(() -> P.require("password", "Tundra-Kettle-48", "m@x.example", "Tundra-Kettle-48"::equals))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("password");
        assertThat(P.problems("T".repeat(129) + "a1", null, p -> false)).containsExactly("must be at most 128 characters");
    }

    @Test
    void expiresAfterItsDays() {
        Instant set = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(P.expired(set, set.plusSeconds(89L * 86400))).isFalse();
        assertThat(P.expired(set, set.plusSeconds(90L * 86400))).isTrue();
        assertThat(PasswordPolicy.DEFAULT.expired(set, set.plusSeconds(9999L * 86400))).isFalse();
    }

    @Test
    void theStrictestOfSeveralWorkspacesWins() {
        PasswordPolicy a = new PasswordPolicy(10, 3, 0, 0, false);
        PasswordPolicy b = new PasswordPolicy(14, 2, 5, 30, true);
        PasswordPolicy c = new PasswordPolicy(8, 1, 1, 60, false);
        assertThat(PasswordPolicy.strictest(List.of(a, b, c))).isEqualTo(new PasswordPolicy(14, 3, 5, 30, true));
        assertThat(PasswordPolicy.strictest(List.of())).isEqualTo(PasswordPolicy.DEFAULT);
    }

    @Test
    void aPolicysOwnValuesAreChecked() {
        assertThatThrownBy(() -> new PasswordPolicy(4, 5, 30, -1, true).checked("password."))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("password.minLength", "password.classes", "password.history", "password.expiryDays"));
    }
}
