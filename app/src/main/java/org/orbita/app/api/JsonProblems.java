package org.orbita.app.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.orbita.common.FieldError;

/**
 * JSON that parsed but does not fit the request, said in the request's own words: which
 * property (by its path), and what it must be — never a Java type or a parser's internals.
 */
final class JsonProblems {

    /** Java in a message: qualified class names, back-quoted types, JVM wording. */
    private static final Pattern JAVA = Pattern.compile(
            "`[^`]*`|\\b(?:java|javax|jakarta|org|com)\\.[A-Za-z0-9_.$]+|Cannot invoke \"[^\"]*\"|class [A-Za-z0-9_.$]+|\\$[A-Za-z]");

    private JsonProblems() {}

    /** The property path (events[0].time), or the given root when the whole body is at fault. */
    static String path(JsonMappingException e, String root) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? root : path;
    }

    static FieldError describe(JsonMappingException e, String root) {
        String field = path(e, root);
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            return FieldError.of(field, null, "is not a property of this request"
                    + (known == null || known.isEmpty() ? "" : "; its properties are " + new TreeSet<>(known.stream().map(String::valueOf).toList())));
        }
        Object given = e instanceof InvalidFormatException f ? f.getValue() : null;
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return FieldError.of(field, given, "must be " + expected(m.getTargetType()));
        }
        return FieldError.of(field, given, "has the wrong type or shape" + (plain(e.getOriginalMessage()).isBlank() ? "" : ": " + plain(e.getOriginalMessage())));
    }

    /** What a value of a Java type looks like in JSON. */
    static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> String.valueOf(c).toLowerCase(Locale.ROOT)).toList();
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
            return "a number";
        }
        if (type == Instant.class || (Temporal.class.isAssignableFrom(type) && type != LocalDate.class)) {
            return "a date-time such as 2026-01-31T10:00:00Z";
        }
        if (type == LocalDate.class) {
            return "a date such as 2026-01-31";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a value of another kind";
    }

    /** A message with anything Java-like taken out. */
    static String plain(String message) {
        if (message == null) {
            return "";
        }
        String first = message.lines().findFirst().orElse("");
        return JAVA.matcher(first).find() ? "it does not fit what this request takes" : first;
    }
}
