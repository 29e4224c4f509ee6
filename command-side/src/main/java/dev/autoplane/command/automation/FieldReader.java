package dev.autoplane.command.automation;

import dev.autoplane.events.common.DomainException.FieldViolation;
import dev.autoplane.platform.text.TextRules;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads typed values out of plain JSON values (as Jackson decodes them into maps and lists),
 * collecting every violation instead of stopping at the first, so a client learns all that is
 * wrong with one request.
 */
final class FieldReader {

    static final int MAX_DEPTH = 8;
    static final int MAX_STRING = 100_000;
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]{0,127}");

    final List<FieldViolation> violations = new ArrayList<>();

    void fail(String field, String message) {
        violations.add(new FieldViolation(field, message));
    }

    boolean ok() {
        return violations.isEmpty();
    }

    /** Free text: the floor of {@link TextRules} (valid Unicode, no NUL) and a length limit. */
    String string(String field, Object value, int max, boolean blankAllowed) {
        return new TextRules.Rule(blankAllowed ? 0 : 1, max, false, false).check(field, value, violations);
    }

    /** One line of text (ids, labels, time zones): as {@link #string} and no control characters. */
    String line(String field, Object value, int max) {
        return new TextRules.Rule(1, max, false, true).check(field, value, violations);
    }

    /** A value checked by one of the named {@link TextRules}. */
    String text(String field, Object value, TextRules.Rule rule) {
        return rule.check(field, value, violations);
    }

    String oneOf(String field, Object value, Set<String> allowed) {
        String s = line(field, value, 64);
        if (s != null && !allowed.contains(s)) {
            fail(field, "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
            return null;
        }
        return s;
    }

    Integer integer(String field, Object value, long min, long max) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger)) {
            fail(field, "must be an integer");
            return null;
        }
        java.math.BigInteger big = new java.math.BigInteger(value.toString());
        if (big.compareTo(java.math.BigInteger.valueOf(min)) < 0 || big.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            fail(field, "must be between " + min + " and " + max);
            return null;
        }
        return big.intValue();
    }

    Boolean bool(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Boolean b)) {
            fail(field, "must be true or false");
            return null;
        }
        return b;
    }

    List<String> strings(String field, Object value, int maxItems, int maxLength) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            fail(field, "must be an array of strings");
            return null;
        }
        if (list.size() > maxItems) {
            fail(field, "must have at most " + maxItems + " items");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String s = line(field + "[" + i + "]", list.get(i), maxLength);
            if (s != null) {
                if (out.contains(s)) {
                    fail(field + "[" + i + "]", "is a duplicate");
                } else {
                    out.add(s);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            fail(field, "must be an object");
            return null;
        }
        return (Map<String, Object>) map;
    }

    /**
     * A free-form JSON object (config, inputs): keys are plain identifiers (no {@code $} operators,
     * no dots), strings are valid Unicode without NUL, nesting is bounded.
     */
    Map<String, Object> freeForm(String field, Object value) {
        Map<String, Object> map = object(field, value);
        if (map == null) {
            return null;
        }
        int before = violations.size();
        checkFreeForm(field, map, 1);
        return violations.size() == before ? copy(map) : null;
    }

    private void checkFreeForm(String field, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            fail(field, "is nested deeper than " + MAX_DEPTH + " levels");
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!KEY.matcher(key).matches()) {
                    fail(field + "." + key, "keys must start with a letter or _ and contain only letters, digits, _ and -"
                            + " (no $ operators, no dots)");
                } else {
                    checkFreeForm(field + "." + key, e.getValue(), depth + 1);
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkFreeForm(field + "[" + i + "]", list.get(i), depth + 1);
            }
        } else if (value instanceof String s) {
            string(field, s, MAX_STRING, true);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? copy((Map<String, Object>) m)
                : v instanceof List<?> l ? copyList(l) : v));
        return java.util.Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> copyList(List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        for (Object x : list) {
            out.add(x instanceof Map<?, ?> m ? copy((Map<String, Object>) m) : x instanceof List<?> l ? copyList(l) : x);
        }
        return java.util.Collections.unmodifiableList(out);
    }

    /** ISO-8601 ({@code PT15M}) or short ({@code 15m}, {@code 1h}, {@code 30s}, {@code 2d}). */
    Duration duration(String field, Object value) {
        String s = line(field, value, 64);
        if (s == null) {
            return null;
        }
        Duration d = parseDuration(s);
        if (d == null) {
            fail(field, "must be an ISO-8601 duration like PT15M or a short one like 15m, 1h, 30s");
        } else if (d.isZero() || d.isNegative()) {
            fail(field, "must be longer than zero");
            return null;
        }
        return d;
    }

    static Duration parseDuration(String s) {
        return dev.autoplane.platform.scheduling.Durations.parse(s).orElse(null);
    }

    Instant timestamp(String field, Object value) {
        String s = line(field, value, 64);
        if (s == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            fail(field, "must be an RFC 3339 timestamp like 2026-03-08T09:00:00Z");
            return null;
        }
    }
}
