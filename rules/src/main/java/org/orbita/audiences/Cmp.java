package org.orbita.audiences;

import java.util.Objects;

/**
 * The comparisons of custom rule expressions, shared by their Drools form and their Java
 * evaluation so both give the same answer: numbers compare as numbers whatever their boxed
 * type, and any comparison with an unset value (null) other than == / != is false.
 */
public final class Cmp {

    private Cmp() {}

    public static boolean eq(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a, b);
    }

    public static boolean ne(Object a, Object b) {
        return !eq(a, b);
    }

    public static boolean lt(Object a, Object b) {
        Integer c = order(a, b);
        return c != null && c < 0;
    }

    public static boolean le(Object a, Object b) {
        Integer c = order(a, b);
        return c != null && c <= 0;
    }

    public static boolean gt(Object a, Object b) {
        Integer c = order(a, b);
        return c != null && c > 0;
    }

    public static boolean ge(Object a, Object b) {
        Integer c = order(a, b);
        return c != null && c >= 0;
    }

    public static boolean truth(Object a) {
        return Boolean.TRUE.equals(a);
    }

    public static Double plus(Object a, Object b) {
        return a instanceof Number x && b instanceof Number y ? x.doubleValue() + y.doubleValue() : null;
    }

    public static Double minus(Object a, Object b) {
        return a instanceof Number x && b instanceof Number y ? x.doubleValue() - y.doubleValue() : null;
    }

    private static Integer order(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        return null;
    }
}
