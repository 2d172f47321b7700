package org.orbita.content;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import liqp.TemplateParser;
import liqp.exceptions.ExceededMaxIterationsException;
import liqp.exceptions.LiquidException;
import liqp.nodes.LNode;
import liqp.org.antlr.v4.runtime.ParserRuleContext;
import liquid.parser.v4.LiquidParser;

/**
 * Liqp's node builder, held to the tags Orbita documents ({@link #TAGS}): anything else —
 * {@code include}, Jekyll's {@code include_relative} (which read files), tags of other flavours —
 * is refused by name with its line and column, when a template is checked as when it is
 * rendered. Also {@code == blank} / {@code != blank} as Shopify's Liquid has them: nil, false,
 * an empty or whitespace-only string and an empty array or hash are blank (Liqp says nil is not).
 */
final class LiquidVisitor extends liqp.parser.v4.NodeVisitor {

    /** The tags templates may use: Shopify's, and Orbita's {@code render} (snippets) and {@code fetch} (data sources). */
    static final Set<String> TAGS = Set.of("assign", "break", "capture", "case", "comment", "continue", "cycle", "decrement", "for", "if",
            "ifchanged", "increment", "raw", "tablerow", "unless", "render", "fetch");

    private final liqp.Insertion forTag;

    LiquidVisitor(TemplateParser parser) {
        super(parser.insertions, parser.filters, parser.liquidStyleInclude);
        this.forTag = parser.insertions.get("for");
    }

    private static LiquidException notAllowed(String tag, ParserRuleContext ctx) {
        return new LiquidException("the tag '" + tag + "' is not allowed: templates cannot read files (a snippet is {% render 'name' %});"
                + " the tags are " + new TreeSet<>(TAGS), ctx);
    }

    @Override
    public LNode visitInclude_tag(LiquidParser.Include_tagContext ctx) {
        throw notAllowed("include", ctx);
    }

    @Override
    public LNode visitInclude_relative_tag(LiquidParser.Include_relative_tagContext ctx) {
        throw notAllowed("include_relative", ctx);
    }

    @Override
    public LNode visitSimple_tag(LiquidParser.Simple_tagContext ctx) {
        String tag = ctx.SimpleTagId().getText();
        if (!TAGS.contains(tag)) {
            throw notAllowed(tag, ctx);
        }
        return super.visitSimple_tag(ctx);
    }

    @Override
    public LNode visitOther_tag(LiquidParser.Other_tagContext ctx) {
        String tag = ctx.BlockId() == null ? ctx.getText() : ctx.BlockId().getText();
        if (!TAGS.contains(tag)) {
            throw notAllowed(tag, ctx);
        }
        return super.visitOther_tag(ctx);
    }

    /**
     * {@code for i in (a..b)} as a loop over the list a..b: Liqp's own range loop gives
     * {@code forloop.length} one short and {@code forloop.last} on the wrong turn. A range
     * longer than the iteration bound is refused before any list is made.
     */
    @Override
    public LNode visitFor_range(liquid.parser.v4.LiquidParser.For_rangeContext ctx) {
        LNode from = (LNode) visit(ctx.from);
        LNode to = (LNode) visit(ctx.to);
        List<LNode> nodes = new ArrayList<>();
        nodes.add(new liqp.nodes.AtomNode(true));
        nodes.add(new liqp.nodes.AtomNode(ctx.id().getText()));
        nodes.add(context -> range(from.render(context), to.render(context)));
        nodes.add(visitBlock(ctx.block()));
        nodes.add(null);
        nodes.add(new liqp.nodes.AtomNode("(" + ctx.from.getText() + ".." + ctx.to.getText() + ")"));
        nodes.add(new liqp.nodes.AtomNode(ctx.Reversed() != null));
        for (liquid.parser.v4.LiquidParser.For_attributeContext attribute : ctx.for_attribute()) {
            nodes.add((LNode) visit(attribute));
        }
        return new liqp.nodes.InsertionNode(forTag, nodes);
    }

    private static List<Long> range(Object from, Object to) {
        long a = whole(from);
        long b = whole(to);
        if (b - a >= Templates.MAX_ITERATIONS) {
            throw new ExceededMaxIterationsException(Templates.MAX_ITERATIONS);
        }
        List<Long> out = new ArrayList<>((int) Math.max(0, b - a + 1));
        for (long i = a; i <= b; i++) {
            out.add(i);
        }
        return out;
    }

    /** A range end as Shopify reads it: a number, or text that starts like one, else 0. */
    static long whole(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = v == null ? "" : String.valueOf(v).strip();
        Matcher m = Pattern.compile("^-?\\d+").matcher(s);
        return m.find() ? Long.parseLong(m.group()) : 0;
    }

    @Override
    public LNode visitExpr_eq(liquid.parser.v4.LiquidParser.Expr_eqContext ctx) {
        boolean negate = ctx.NEq() != null;
        boolean blankRight = "blank".equals(ctx.rhs.getText());
        if (!blankRight && !"blank".equals(ctx.lhs.getText())) {
            if ("empty".equals(ctx.rhs.getText()) || "empty".equals(ctx.lhs.getText())) {
                return super.visitExpr_eq(ctx);
            }
            // Ruby's ==: numbers by value, a number never equals text, lists and hashes by their elements
            LNode lhs = (LNode) visit(ctx.lhs);
            LNode rhs = (LNode) visit(ctx.rhs);
            return context -> ShopifyFilters.same(plain(lhs.render(context)), plain(rhs.render(context))) != negate;
        }
        LNode other = (LNode) visit(blankRight ? ctx.lhs : ctx.rhs);
        return context -> isBlank(other.render(context)) != negate;
    }

    /**
     * {@code contains} as Shopify has it: text contains the other side as text, a list an
     * element equal to it (no conversion between numbers and text), a hash the key; nil or
     * false on the right contains nothing.
     */
    @Override
    public LNode visitExpr_contains(LiquidParser.Expr_containsContext ctx) {
        LNode lhs = (LNode) visit(ctx.lhs);
        LNode rhs = (LNode) visit(ctx.rhs);
        return context -> {
            Object left = plain(lhs.render(context));
            Object right = plain(rhs.render(context));
            if (!ShopifyFilters.truthy(right) || left == null) {
                return false;
            }
            if (left instanceof CharSequence text) {
                return text.toString().contains(right instanceof CharSequence ? right.toString() : String.valueOf(right));
            }
            if (left instanceof List<?> list) {
                return list.stream().anyMatch(e -> ShopifyFilters.same(plain(e), right));
            }
            if (left instanceof Map<?, ?> map) {
                return map.containsKey(right);
            }
            return false;
        };
    }

    /** Comparing text with a number is an error in Shopify's Liquid, not a guess. */
    @Override
    public LNode visitExpr_rel(LiquidParser.Expr_relContext ctx) {
        LNode lhs = (LNode) visit(ctx.lhs);
        LNode rhs = (LNode) visit(ctx.rhs);
        LNode compare = super.visitExpr_rel(ctx);
        String op = ctx.op.getText();
        return context -> {
            Object left = lhs.render(context);
            Object right = rhs.render(context);
            if (left instanceof CharSequence && right instanceof Number || left instanceof Number && right instanceof CharSequence) {
                throw new IllegalArgumentException("Liquid error: comparison of " + kind(left) + " with " + kind(right) + " failed");
            }
            if (left instanceof Number a && right instanceof Number b && finite(a) && finite(b)) {
                // two numbers (the common case) compared here, without evaluating both sides again
                int c = ShopifyFilters.decimal(a).compareTo(ShopifyFilters.decimal(b));
                return switch (op) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
            }
            return compare.render(context);
        };
    }

    private static boolean finite(Number n) {
        return !(n instanceof Double || n instanceof Float) || Double.isFinite(n.doubleValue());
    }

    private static String kind(Object v) {
        return v instanceof CharSequence ? "String" : v instanceof Number n && !(n instanceof Double) ? "Integer" : "Float";
    }

    /** A value as plain Java: arrays as lists, lists and hashes element by element. */
    static Object plain(Object v) {
        if (v instanceof Object[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (Object o : a) {
                out.add(plain(o));
            }
            return out;
        }
        if (v instanceof List<?> l && l.stream().anyMatch(e -> e instanceof Object[] || e instanceof List<?>)) {
            return l.stream().map(LiquidVisitor::plain).toList();
        }
        if (v instanceof CharSequence c && !(v instanceof String)) {
            return c.toString();
        }
        return v;
    }

    /** Liquid's "empty" for default: empty text (spaces are not empty), lists and hashes. */
    static boolean isBlankOrEmpty(Object v) {
        return v instanceof CharSequence c ? c.isEmpty() : !(v instanceof Boolean) && isBlank(v);
    }

    static boolean isBlank(Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return true;
        }
        if (v instanceof CharSequence c) {
            return c.toString().isBlank();
        }
        if (v instanceof Collection<?> c) {
            return c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        return v instanceof Object[] a && a.length == 0;
    }
}
