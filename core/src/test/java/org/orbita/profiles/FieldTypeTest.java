package org.orbita.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;

class FieldTypeTest {

    @Test
    void convertsCellTextToEachStoredForm() {
        assertThat(FieldType.INTEGER.convert("1 200", null)).isEqualTo(1200L);
        assertThat(FieldType.DECIMAL.convert("12,50", null)).isEqualTo(new BigDecimal("12.50"));
        assertThat(FieldType.BOOLEAN.convert("Да", null)).isEqualTo(true);
        assertThat(FieldType.DATE.convert("31.01.2026", null)).isEqualTo("2026-01-31");
        assertThat(FieldType.DATETIME.convert("2026-01-31 10:15:00", null)).isEqualTo("2026-01-31T10:15:00Z");
        assertThat(FieldType.DATETIME.convert("2026-01-31T13:15:00+03:00", null)).isEqualTo("2026-01-31T10:15:00Z");
        assertThat(FieldType.EMAIL.convert(" Ann@Example.COM ", null)).isEqualTo("ann@example.com");
        assertThat(FieldType.PHONE.convert("+7 (916) 123-45-67", null)).isEqualTo("+79161234567");
        assertThat(FieldType.TAGS.convert("vip; new ,vip", null)).isEqualTo(List.of("vip", "new"));
        assertThat(FieldType.OBJECTS.convert("[{\"sku\":\"A1\"}]", null)).isEqualTo(List.of(Map.of("sku", "A1")));
        assertThat(FieldType.ENUM.convert("gold", List.of("silver", "gold"))).isEqualTo("gold");
    }

    @Test
    void emptyCellsAreAbsentValues() {
        assertThat(FieldType.INTEGER.convert("  ", null)).isNull();
        assertThat(FieldType.STRING.convert("", null)).isNull();
    }

    @Test
    void wrongValuesNameTheRule() {
        assertThatThrownBy(() -> FieldType.INTEGER.convert("12.5", null)).hasMessage("must be a whole number, without a fraction");
        // the bound said in words people read, not as ±9223372036854775808
        assertThatThrownBy(() -> FieldType.INTEGER.convert("99999999999999999999", null)).hasMessageContaining("is too large")
                .hasMessageNotContaining("9223372036854775");
        assertThatThrownBy(() -> FieldType.INTEGER.convert("twelve", null)).hasMessage("must be a whole number, such as 42");
        assertThatThrownBy(() -> FieldType.EMAIL.convert("not-an-email", null)).hasMessageContaining("email address");
        assertThatThrownBy(() -> FieldType.PHONE.convert("12", null)).hasMessageContaining("E.164");
        assertThatThrownBy(() -> FieldType.DATE.convert("2026-13-01", null)).hasMessageContaining("YYYY-MM-DD");
        assertThatThrownBy(() -> FieldType.ENUM.convert("bronze", List.of("gold"))).hasMessageContaining("one of [gold]");
        assertThatThrownBy(() -> FieldType.BOOLEAN.convert("maybe", null)).hasMessageContaining("true or false");
        assertThatThrownBy(() -> FieldType.STRING.convert(Map.of("a", 1), null)).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> FieldType.OBJECTS.convert("[1,2]", null)).hasMessageContaining("array of objects");
        assertThatThrownBy(() -> FieldType.JSON.convert("{oops", null)).hasMessageContaining("valid JSON");
    }

    @Test
    void schemaRulesAreChecked() {
        DatabaseSchema bad = new DatabaseSchema(List.of(
                FieldDefinition.of("Email", FieldType.EMAIL),
                FieldDefinition.of("tags", FieldType.TAGS).asUnique(),
                FieldDefinition.of("id", FieldType.STRING),
                FieldDefinition.of("age", FieldType.INTEGER),
                FieldDefinition.of("age", FieldType.INTEGER),
                new FieldDefinition("level", FieldType.ENUM, null, false, false, null, List.of()),
                new FieldDefinition("score", FieldType.INTEGER, null, false, false, "ten", null)));
        assertThatThrownBy(bad::validate)
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors())
                        .extracting(FieldError::field)
                        .containsExactly("fields[0].name", "fields[1].unique", "fields[2].name", "fields[4].name",
                                "fields[5].values", "fields[6].defaultValue"));
    }

    /** The shape as the regular expression it replaced said it; the hand-walked check must agree with it everywhere. */
    private static final java.util.regex.Pattern EMAIL_REGEX =
            java.util.regex.Pattern.compile("^[^@\\s\"<>(),;:]{1,64}@[A-Za-z0-9\\p{L}](?:[A-Za-z0-9\\p{L}-]*[A-Za-z0-9\\p{L}])?"
                    + "(?:\\.[A-Za-z0-9\\p{L}](?:[A-Za-z0-9\\p{L}-]*[A-Za-z0-9\\p{L}])?)+$");

    @Test
    void theEmailShapeAgreesWithTheRegularExpressionItReplaced() {
        String[] parts = {"a", "Z", "0", "9", "-", ".", "@", " ", "\t", "\"", "<", ",", ";", ":", "_", "+", "é", "я", "٣", "\uD835\uDC00", "\uD800",
                "x".repeat(63), "ab", "--", ".."};
        java.util.Random random = new java.util.Random(42);
        int agreed = 0;
        int valid = 0;
        for (int k = 0; k < 200_000; k++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                b.append(parts[random.nextInt(parts.length)]);
            }
            if (random.nextBoolean()) {
                b.append('@').append(parts[random.nextInt(parts.length)]).append('.').append(parts[random.nextInt(4)]);
            }
            String s = b.toString();
            boolean expected = EMAIL_REGEX.matcher(s).matches();
            assertThat(FieldType.emailShape(s)).as("%s", s).isEqualTo(expected);
            agreed++;
            valid += expected ? 1 : 0;
        }
        assertThat(valid).as("the sample holds valid addresses too").isGreaterThan(1_000);
        for (String s : List.of("vera@camp.example", "a@b.c", "a@b", "@b.c", "a@-b.c", "a@b-.c", "a@b..c", "a@b.c.", "a b@c.d", "x".repeat(64) + "@b.c",
                "x".repeat(65) + "@b.c", "почта@пример.рф", "a@b@c.d", "a@b_c.d")) {
            assertThat(FieldType.emailShape(s)).as("%s", s).isEqualTo(EMAIL_REGEX.matcher(s).matches());
        }
        assertThat(agreed).isEqualTo(200_000);
    }
}
