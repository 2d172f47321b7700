package org.orbita.audiences;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;

/**
 * The restricted expression language of custom rule conditions. An analyst writes, say,
 * {@code number("age") >= 18 && (text("city") == "Moscow" || eventCount("purchase", 30) > 2)};
 * it is parsed here into a tree of known functions, literals and operators, type-checked
 * against the schema, and only then written out as a Drools constraint (or evaluated in
 * Java). Nothing else can appear: no member access, no class names, no other calls, so a
 * custom condition cannot run arbitrary Java.
 *
 * <p>Longer than the ~400 lines we aim for: one small expression language — tokenizer, parser,
 * type checks and its translation to DRL — reads best top to bottom.
 */
public final class CustomExpression {

    public static final int MAX_LENGTH = 2000;
    private static final int MAX_DEPTH = 40;

    /** Functions an expression may call: name → argument kinds and result type. */
    private static final Map<String, Signature> FUNCTIONS = Map.ofEntries(
            Map.entry("text", new Signature(Type.TEXT, Arg.FIELD)),
            Map.entry("lower", new Signature(Type.TEXT, Arg.FIELD)),
            Map.entry("number", new Signature(Type.NUMBER, Arg.FIELD)),
            Map.entry("bool", new Signature(Type.BOOL, Arg.FIELD)),
            Map.entry("day", new Signature(Type.NUMBER, Arg.FIELD)),
            Map.entry("weekday", new Signature(Type.NUMBER, Arg.FIELD)),
            Map.entry("daysToAnniversary", new Signature(Type.NUMBER, Arg.FIELD)),
            Map.entry("has", new Signature(Type.BOOL, Arg.FIELD)),
            Map.entry("hasTag", new Signature(Type.BOOL, Arg.FIELD, Arg.TEXT)),
            Map.entry("eventCount", new Signature(Type.NUMBER, Arg.TEXT, Arg.DAYS)),
            Map.entry("subscribed", new Signature(Type.BOOL, Arg.TEXT)));

    enum Type { NUMBER, TEXT, BOOL, NULL }

    private enum Arg { FIELD, TEXT, DAYS }

    private record Signature(Type result, Arg... args) {}

    /** A node of a parsed expression. */
    sealed interface Node {
        Type type();
    }

    record Literal(Object value, Type type) implements Node {}

    record Today() implements Node {
        public Type type() {
            return Type.NUMBER;
        }
    }

    record Call(String name, List<Object> args, Type type) implements Node {}

    record Unary(Node operand) implements Node {
        public Type type() {
            return Type.BOOL;
        }
    }

    record Binary(String op, Node left, Node right, Type type) implements Node {}

    private final String source;
    private final DatabaseSchema schema;
    private final List<Token> tokens;
    private int pos;

    private CustomExpression(String source, DatabaseSchema schema) {
        this.source = source;
        this.schema = schema;
        this.tokens = tokenize(source);
    }

    /**
     * Parses and type-checks an expression.
     *
     * @throws IllegalArgumentException naming the column and the rule broken
     */
    public static Node parse(String source, DatabaseSchema schema) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        if (source.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        CustomExpression p = new CustomExpression(source, schema);
        Node node = p.or(0);
        if (p.peek().kind != Kind.END) {
            throw p.error(p.peek(), "unexpected '" + p.peek().text + "'");
        }
        if (node.type() != Type.BOOL) {
            throw new IllegalArgumentException("must be a true/false condition, not a " + name(node.type()));
        }
        return node;
    }

    /** The expression as a Drools constraint on {@code ProfileFacts}. */
    public static String toDrl(Node node) {
        return switch (node) {
            case Literal l -> l.type() == Type.TEXT ? DrlWriter.string((String) l.value())
                    : l.type() == Type.NUMBER ? DrlWriter.number(((Number) l.value()).doubleValue())
                    : String.valueOf(l.value());
            case Today t -> "today";
            case Call c -> c.name() + "(" + String.join(", ", c.args().stream()
                    .map(a -> a instanceof String s ? DrlWriter.string(s) : String.valueOf(a)).toList()) + ")";
            case Unary u -> "!(" + bool(u.operand()) + ")";
            case Binary b -> switch (b.op()) {
                case "&&", "||" -> "(" + bool(b.left()) + " " + b.op() + " " + bool(b.right()) + ")";
                default -> "org.orbita.audiences.Cmp." + OPS.get(b.op()) + "(" + toDrl(b.left()) + ", " + toDrl(b.right()) + ")";
            };
        };
    }

    private static String bool(Node n) {
        return n instanceof Call c && c.type() == Type.BOOL && c.name().equals("bool")
                ? "org.orbita.audiences.Cmp.truth(" + toDrl(n) + ")" : toDrl(n);
    }

    private static final Map<String, String> OPS = Map.of(
            "==", "eq", "!=", "ne", "<", "lt", "<=", "le", ">", "gt", ">=", "ge", "+", "plus", "-", "minus");

    /** Evaluates the expression in Java with the same semantics as its Drools form. */
    public static Object eval(Node node, ProfileFacts p) {
        return switch (node) {
            case Literal l -> l.value();
            case Today t -> p.getToday();
            case Call c -> call(c, p);
            case Unary u -> !Cmp.truth(eval(u.operand(), p));
            case Binary b -> switch (b.op()) {
                case "&&" -> Cmp.truth(eval(b.left(), p)) && Cmp.truth(eval(b.right(), p));
                case "||" -> Cmp.truth(eval(b.left(), p)) || Cmp.truth(eval(b.right(), p));
                case "==" -> Cmp.eq(eval(b.left(), p), eval(b.right(), p));
                case "!=" -> Cmp.ne(eval(b.left(), p), eval(b.right(), p));
                case "<" -> Cmp.lt(eval(b.left(), p), eval(b.right(), p));
                case "<=" -> Cmp.le(eval(b.left(), p), eval(b.right(), p));
                case ">" -> Cmp.gt(eval(b.left(), p), eval(b.right(), p));
                case ">=" -> Cmp.ge(eval(b.left(), p), eval(b.right(), p));
                case "+" -> Cmp.plus(eval(b.left(), p), eval(b.right(), p));
                default -> Cmp.minus(eval(b.left(), p), eval(b.right(), p));
            };
        };
    }

    private static Object call(Call c, ProfileFacts p) {
        String a = (String) c.args().get(0);
        return switch (c.name()) {
            case "text" -> p.text(a);
            case "lower" -> p.lower(a);
            case "number" -> p.number(a);
            case "bool" -> p.bool(a);
            case "day" -> p.day(a);
            case "weekday" -> p.weekday(a);
            case "daysToAnniversary" -> p.daysToAnniversary(a);
            case "has" -> p.has(a);
            case "hasTag" -> p.hasTag(a, (String) c.args().get(1));
            case "eventCount" -> p.eventCount(a, (Integer) c.args().get(1));
            case "subscribed" -> p.subscribed(a);
            default -> throw new IllegalStateException("unknown function " + c.name());
        };
    }

    // ---- parsing

    private Node or(int depth) {
        Node left = and(depth + 1);
        while (peek().is("||")) {
            Token op = next();
            Node right = and(depth + 1);
            left = logical(op, left, right);
        }
        return left;
    }

    private Node and(int depth) {
        Node left = not(depth + 1);
        while (peek().is("&&")) {
            Token op = next();
            Node right = not(depth + 1);
            left = logical(op, left, right);
        }
        return left;
    }

    private Node logical(Token op, Node left, Node right) {
        if (left.type() != Type.BOOL || right.type() != Type.BOOL) {
            throw error(op, "'" + op.text + "' joins true/false conditions, not a " + name(left.type() != Type.BOOL ? left.type() : right.type()));
        }
        return new Binary(op.text, left, right, Type.BOOL);
    }

    private Node not(int depth) {
        if (depth > MAX_DEPTH) {
            throw error(peek(), "is nested too deeply (at most " + MAX_DEPTH + " levels)");
        }
        if (peek().is("!")) {
            Token op = next();
            Node operand = not(depth + 1);
            if (operand.type() != Type.BOOL) {
                throw error(op, "'!' applies to a true/false condition, not a " + name(operand.type()));
            }
            return new Unary(operand);
        }
        return comparison(depth + 1);
    }

    private Node comparison(int depth) {
        Node left = sum(depth + 1);
        Token t = peek();
        if (t.kind == Kind.OP && OPS.containsKey(t.text) && !t.is("+") && !t.is("-")) {
            next();
            Node right = sum(depth + 1);
            boolean equality = t.is("==") || t.is("!=");
            boolean nullCheck = equality && (left.type() == Type.NULL || right.type() == Type.NULL);
            if (!nullCheck && left.type() != right.type()) {
                throw error(t, "compares a " + name(left.type()) + " with a " + name(right.type()));
            }
            if (!equality && left.type() == Type.BOOL) {
                throw error(t, "'" + t.text + "' does not order true/false values");
            }
            return new Binary(t.text, left, right, Type.BOOL);
        }
        return left;
    }

    private Node sum(int depth) {
        Node left = atom(depth + 1);
        while (peek().is("+") || peek().is("-")) {
            Token op = next();
            Node right = atom(depth + 1);
            if (left.type() != Type.NUMBER || right.type() != Type.NUMBER) {
                throw error(op, "'" + op.text + "' works on numbers only");
            }
            left = new Binary(op.text, left, right, Type.NUMBER);
        }
        return left;
    }

    private Node atom(int depth) {
        if (depth > MAX_DEPTH) {
            throw error(peek(), "is nested too deeply (at most " + MAX_DEPTH + " levels)");
        }
        Token t = next();
        switch (t.kind) {
            case NUMBER:
                return new Literal(Double.parseDouble(t.text), Type.NUMBER);
            case STRING:
                return new Literal(t.text, Type.TEXT);
            case OP:
                if (t.is("(")) {
                    Node inner = or(depth + 1);
                    expect(")");
                    return inner;
                }
                if (t.is("-") && peek().kind == Kind.NUMBER) {
                    return new Literal(-Double.parseDouble(next().text), Type.NUMBER);
                }
                throw error(t, "unexpected '" + t.text + "'");
            case IDENT:
                return identifier(t);
            default:
                throw error(t, "the expression ends too early");
        }
    }

    private Node identifier(Token t) {
        switch (t.text) {
            case "true", "false":
                return new Literal(Boolean.parseBoolean(t.text), Type.BOOL);
            case "null":
                return new Literal(null, Type.NULL);
            case "today":
                return new Today();
            default:
                break;
        }
        Signature sig = FUNCTIONS.get(t.text);
        if (sig == null) {
            throw error(t, "'" + t.text + "' is not allowed here; use literals, today and the functions "
                    + new TreeSet<>(FUNCTIONS.keySet()));
        }
        expect("(");
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < sig.args().length; i++) {
            if (i > 0) {
                expect(",");
            }
            Token a = next();
            args.add(argument(t.text, sig.args()[i], a));
        }
        expect(")");
        return new Call(t.text, args, sig.result());
    }

    private Object argument(String function, Arg kind, Token a) {
        switch (kind) {
            case FIELD: {
                if (a.kind != Kind.STRING) {
                    throw error(a, function + "(…) takes a field name in quotes");
                }
                FieldDefinition f = schema.field(a.text).orElseThrow(() -> error(a, "no field '" + a.text + "' in the database schema"));
                checkFieldType(function, f, a);
                return a.text;
            }
            case TEXT:
                if (a.kind != Kind.STRING) {
                    throw error(a, function + "(…) takes a text in quotes here");
                }
                return a.text;
            default:
                if (a.kind != Kind.NUMBER || a.text.contains(".") || Double.parseDouble(a.text) > 36_500) {
                    throw error(a, function + "(…) takes a whole number of days (0 to 36500) here");
                }
                return Integer.parseInt(a.text);
        }
    }

    private void checkFieldType(String function, FieldDefinition f, Token at) {
        FieldType t = f.type();
        boolean ok = switch (function) {
            case "text", "lower" -> t == FieldType.STRING || t == FieldType.EMAIL || t == FieldType.PHONE || t == FieldType.ENUM;
            case "number" -> t == FieldType.INTEGER || t == FieldType.DECIMAL;
            case "bool" -> t == FieldType.BOOLEAN;
            case "day", "weekday", "daysToAnniversary" -> t == FieldType.DATE || t == FieldType.DATETIME;
            case "hasTag" -> t == FieldType.TAGS;
            default -> true;
        };
        if (!ok) {
            throw error(at, function + "(…) cannot read field '" + f.name() + "' of type " + t.id());
        }
    }

    private void expect(String op) {
        Token t = next();
        if (!t.is(op)) {
            throw error(t, "expected '" + op + "'" + (t.kind == Kind.END ? " before the end" : ", found '" + t.text + "'"));
        }
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind != Kind.END) {
            pos++;
        }
        return t;
    }

    private IllegalArgumentException error(Token at, String rule) {
        return new IllegalArgumentException("column " + (at.column + 1) + ": " + rule);
    }

    private static String name(Type t) {
        return switch (t) {
            case NUMBER -> "number";
            case TEXT -> "text";
            case BOOL -> "true/false value";
            case NULL -> "null";
        };
    }

    // ---- tokens

    private enum Kind { NUMBER, STRING, IDENT, OP, END }

    private record Token(Kind kind, String text, int column) {
        boolean is(String op) {
            return kind == Kind.OP && text.equals(op);
        }
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c >= '0' && c <= '9') {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                String num = s.substring(start, i);
                if (!num.matches("\\d{1,15}(\\.\\d{1,15})?")) {
                    throw new IllegalArgumentException("column " + (start + 1) + ": '" + num + "' is not a number");
                }
                out.add(new Token(Kind.NUMBER, num, start));
            } else if (c == '"') {
                int start = i++;
                StringBuilder text = new StringBuilder();
                while (true) {
                    if (i >= s.length()) {
                        throw new IllegalArgumentException("column " + (start + 1) + ": the text in quotes is not closed");
                    }
                    char d = s.charAt(i++);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\' && i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\\')) {
                        d = s.charAt(i++);
                    } else if (d == '\\' || Character.isISOControl(d)) {
                        throw new IllegalArgumentException("column " + i + ": only \\\" and \\\\ may be escaped in text, and no control characters");
                    }
                    text.append(d);
                }
                out.add(new Token(Kind.STRING, text.toString(), start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.IDENT, s.substring(start, i), start));
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("==", "!=", "<=", ">=", "&&", "||").contains(two)) {
                    out.add(new Token(Kind.OP, two, i));
                    i += 2;
                } else if ("<>!(),+-".indexOf(c) >= 0) {
                    out.add(new Token(Kind.OP, String.valueOf(c), i));
                    i++;
                } else {
                    throw new IllegalArgumentException("column " + (i + 1) + ": '" + c + "' is not allowed in a rule expression");
                }
            }
        }
        out.add(new Token(Kind.END, "", s.length()));
        return out;
    }

    static Function<ProfileFacts, Boolean> predicate(Node node) {
        return p -> Cmp.truth(eval(node, p));
    }
}
