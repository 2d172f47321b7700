package org.orbita.promo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.orbita.common.InvalidInputException;

class CodePatternTest {

    @Test
    void aPatternSaysItsShapeAndHowManyCodesItHas() {
        CodePattern p = new CodePattern("SALE-####-XX", false);
        assertThat(p.capacity()).isEqualTo(10_000L * 24 * 24);
        assertThat(p.code(0)).isEqualTo("SALE-0000-AA");
        assertThat(p.code(1)).isEqualTo("SALE-0000-AB");
        assertThat(p.code(p.capacity() - 1)).isEqualTo("SALE-9999-ZZ");
        assertThat(p.matches("SALE-1234-KM")).isTrue();
        assertThat(p.matches("SALE-1234-KI")).as("no I: it reads as 1").isFalse();
        assertThat(p.matches("SALE-123-KMM")).isFalse();
        assertThat(new CodePattern("A\\#*", false).code(33)).as("34 letters and digits").isEqualTo("A#Z");
        assertThat(p.fits(0, p.capacity() + 1)).singleElement().extracting(e -> e.field()).isEqualTo("count");
    }

    @Test
    void aBadPatternIsNamed() {
        assertThatThrownBy(() -> new CodePattern("SALE", false)).isInstanceOf(InvalidInputException.class).hasMessageContaining("to vary");
        assertThatThrownBy(() -> new CodePattern("SALE ##", false)).isInstanceOf(InvalidInputException.class).hasMessageContaining("no spaces");
        assertThatThrownBy(() -> new CodePattern("", false)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new CodePattern("#".repeat(65), false)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theCheckCharacterCatchesEverySingleMistypedCharacter() {
        CodePattern p = new CodePattern("XX-####", true);
        String code = p.code(123_456);
        assertThat(p.matches(code)).isTrue();
        for (int i = 0; i < code.length() - 1; i++) {
            if (code.charAt(i) == '-') {
                continue;
            }
            String alphabet = Character.isDigit(code.charAt(i)) ? CodePattern.DIGITS : CodePattern.LETTERS;
            for (char c : alphabet.toCharArray()) {
                if (c != code.charAt(i)) {
                    String typo = code.substring(0, i) + c + code.substring(i + 1);
                    assertThat(p.matches(typo)).as(typo).isFalse();
                }
            }
        }
    }

    @Test
    void aPermutationHandsOutEveryCodeOnceAndAnotherKeyAnotherOrder() {
        CodePattern p = new CodePattern("##-X", false); // 2,400 codes: every one checked
        CodePattern.Permutation perm = new CodePattern.Permutation(p.capacity(), "pool-a".getBytes(StandardCharsets.UTF_8));
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < p.capacity(); i++) {
            assertThat(seen.add(p.code(perm.apply(i)))).isTrue();
        }
        assertThat(seen).hasSize((int) p.capacity());
        CodePattern.Permutation other = new CodePattern.Permutation(p.capacity(), "pool-b".getBytes(StandardCharsets.UTF_8));
        int same = 0;
        for (long i = 0; i < 100; i++) {
            same += perm.apply(i) == other.apply(i) ? 1 : 0;
        }
        assertThat(same).as("two keys agree only by chance").isLessThan(5);
    }

    @Test
    void aMillionCodesOfALargePatternAreAllDifferent() {
        CodePattern p = new CodePattern("SALE-####-XXXX", true);
        CodePattern.Permutation perm = new CodePattern.Permutation(p.capacity(), new byte[] {1, 2, 3});
        Set<String> seen = new HashSet<>(2_000_000);
        for (long i = 0; i < 1_000_000; i++) {
            String code = p.code(perm.apply(i));
            assertThat(seen.add(code)).as(code).isTrue();
        }
        assertThat(seen.iterator().next()).matches("SALE-[0-9]{4}-[A-Z]{4}[0-9A-Z]");
    }
}
