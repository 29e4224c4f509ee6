package dev.autoplane.query.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.autoplane.platform.web.problem.ApiProblem;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CEL's {@code matches} with a bounded cost. RE2J matches in time linear in the text, but its
 * compiler expands counted repetitions: {@code ((a{100}){100}){100}} is a million instructions and
 * one more level exhausts the heap while compiling. So a pattern's expanded size is estimated from
 * its text before RE2J sees it, compiled programs are capped at {@link #MAX_PROGRAM_SIZE}
 * instructions and cached, and each match is charged program size times text length to the
 * request's {@link FilterBudget}.
 */
final class BoundedRegex {

    /** The largest compiled program a filter may use (cel-java's own option checks only after compiling). */
    static final int MAX_PROGRAM_SIZE = 5_000;

    private static final Map<String, Pattern> CACHE = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
            return size() > 128;
        }
    });

    private BoundedRegex() {
    }

    /** Whether {@code text} matches {@code regex} (CEL semantics), charging {@code budget}. */
    static boolean matches(String text, String regex, boolean partial, FilterBudget budget) {
        Pattern pattern = CACHE.get(regex);
        if (pattern == null) {
            budget.charge(Math.max(regex.length(), estimatedSize(regex)));
            pattern = compile(regex);
            CACHE.put(regex, pattern);
        }
        budget.charge((long) pattern.programSize() * (text.length() + 1));
        return partial ? pattern.matcher(text).find() : pattern.matcher(text).matches();
    }

    /** The pattern compiled, or {@code 400} if it is invalid or too large; never compiles an oversized one. */
    static Pattern compile(String regex) {
        long estimate = estimatedSize(regex);
        if (estimate > MAX_PROGRAM_SIZE) {
            throw tooLarge(regex, estimate);
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw ApiProblem.invalid("filter", "is not a valid filter: bad regular expression: " + e.getMessage());
        }
        if (pattern.programSize() > MAX_PROGRAM_SIZE) {
            throw tooLarge(regex, pattern.programSize());
        }
        return pattern;
    }

    private static ApiProblem tooLarge(String regex, long size) {
        return new ApiProblem(400, "filter_too_expensive", "Bad request", "filter: the regular expression '"
                + (regex.length() > 64 ? regex.substring(0, 64) + "…" : regex) + "' expands to about " + size
                + " instructions; at most " + MAX_PROGRAM_SIZE + " are allowed (large counted repetitions such as "
                + "{330} multiply)", java.util.List.of(new dev.autoplane.events.common.DomainException.FieldViolation(
                "filter", "has a regular expression that is too large")), Map.of("max_program_size", MAX_PROGRAM_SIZE));
    }

    /**
     * An upper estimate of the instructions RE2J compiles {@code regex} into, from its text alone:
     * every atom is one, a group is its content plus two (its capture), alternation adds, and a counted
     * repetition {@code {n,m}} multiplies what it repeats by n + 2(m - n). Linear in the
     * pattern's length; saturates instead of overflowing.
     */
    static long estimatedSize(String regex) {
        long[] total = new long[regex.length() + 2]; // per open group: size so far
        long[] lastAtom = new long[regex.length() + 2];
        int depth = 0;
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            long atom = 0;
            switch (c) {
                case '\\' -> {
                    int next = skipEscape(regex, i);
                    atom = next - i; // at least one instruction per character of a \Q...\E literal
                    i = next;
                }
                case '[' -> {
                    i = skipClass(regex, i);
                    atom = 1;
                }
                case '(' -> {
                    depth++;
                    total[depth] = 0;
                    lastAtom[depth] = 0;
                    i++;
                    continue;
                }
                case ')' -> {
                    if (depth == 0) {
                        i++;
                        atom = 1;
                    } else {
                        atom = sat(total[depth] + 2); // a capture's start and end
                        depth--;
                        i++;
                    }
                }
                case '|' -> {
                    total[depth] = sat(total[depth] + 1);
                    lastAtom[depth] = 0;
                    i++;
                    continue;
                }
                case '*', '+', '?' -> {
                    total[depth] = sat(total[depth] + 1);
                    i++;
                    continue;
                }
                case '{' -> {
                    int close = regex.indexOf('}', i);
                    long bound = close < 0 ? -1 : repeatBound(regex.substring(i + 1, close));
                    if (bound >= 0) {
                        long last = lastAtom[depth];
                        total[depth] = sat(total[depth] + mul(last, Math.max(0, bound - 1)) + 1);
                        lastAtom[depth] = mul(last, Math.max(1, bound));
                        i = close + 1;
                        continue;
                    }
                    i++;
                    atom = 1;
                }
                default -> {
                    i += Character.charCount(regex.codePointAt(i));
                    atom = 1;
                }
            }
            total[depth] = sat(total[depth] + atom);
            lastAtom[depth] = atom;
        }
        long size = 0;
        for (int d = depth; d >= 0; d--) {
            size = sat(size + total[d]);
        }
        return sat(size + 2);
    }

    /** How many copies {@code n}, {@code n,} or {@code n,m} compiles to (optional ones twice), or -1 if this is not a repetition. */
    private static long repeatBound(String inside) {
        if (!inside.matches("\\d{1,7}(,\\d{0,7})?")) {
            return -1;
        }
        String[] parts = inside.split(",", -1);
        long min = Long.parseLong(parts[0]);
        if (parts.length == 1) {
            return min;
        }
        // an optional copy compiles to the copy and a branch: count it twice
        return parts[1].isEmpty() ? min + 2 : min + 2 * Math.max(0, Long.parseLong(parts[1]) - min);
    }

    private static int skipEscape(String regex, int i) {
        int j = i + 1;
        if (j >= regex.length()) {
            return j;
        }
        char e = regex.charAt(j);
        if ((e == 'p' || e == 'P' || e == 'x') && j + 1 < regex.length() && regex.charAt(j + 1) == '{') {
            int close = regex.indexOf('}', j);
            return close < 0 ? regex.length() : close + 1;
        }
        if (e == 'Q') {
            int end = regex.indexOf("\\E", j);
            return end < 0 ? regex.length() : end + 2;
        }
        return j + Character.charCount(regex.codePointAt(j));
    }

    private static int skipClass(String regex, int i) {
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') {
            j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
            j++;
        }
        while (j < regex.length() && regex.charAt(j) != ']') {
            if (regex.charAt(j) == '\\') {
                j = skipEscape(regex, j);
            } else if (regex.startsWith("[:", j)) {
                int close = regex.indexOf(":]", j + 2);
                j = close < 0 ? j + 1 : close + 2;
            } else {
                j++;
            }
        }
        return Math.min(regex.length(), j + 1);
    }

    private static long mul(long a, long b) {
        return a != 0 && b > (Long.MAX_VALUE / 4) / a ? Long.MAX_VALUE / 4 : sat(a * b);
    }

    private static long sat(long v) {
        return v < 0 || v > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : v;
    }
}
