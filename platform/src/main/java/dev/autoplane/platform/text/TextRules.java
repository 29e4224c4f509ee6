package dev.autoplane.platform.text;

import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.DomainException.FieldViolation;

import java.util.ArrayList;
import java.util.List;

/**
 * The one set of rules for text that may reach an event. Events are immutable: a string that a
 * strict JSON parser cannot read (a lone UTF-16 surrogate) or that truncates C strings (NUL) would
 * break every reader of that history forever, so no field of any endpoint may let one through.
 *
 * <p>Every string meets the <b>floor</b>: Unicode scalar values only (no lone surrogate) and no NUL.
 * A {@link Rule} adds a field's own limits: whether it is trimmed, whether it is one line (no control
 * characters at all), its minimum and maximum length (in UTF-16 units, as Java and JSON count them,
 * never fewer than the characters a reader sees). Controllers, the aggregates' field readers and the
 * HTTP JSON decoder all call this class, so the rules cannot drift apart.
 */
public final class TextRules {

    /** How one kind of field's text is checked. */
    public record Rule(int min, int max, boolean strip, boolean singleLine) {

        /**
         * Checks an optional value: {@code null} is absent (no violation, {@code null} returned);
         * anything else must be a string obeying this rule.
         *
         * @return the value (stripped if the rule trims), or {@code null} after recording a violation
         */
        public String check(String field, Object value, List<FieldViolation> violations) {
            if (value == null) {
                return null;
            }
            if (!(value instanceof String s)) {
                violations.add(new FieldViolation(field, "must be a string"));
                return null;
            }
            String problem = violation(s);
            if (problem != null) {
                violations.add(new FieldViolation(field, problem));
                return null;
            }
            return strip ? s.strip() : s;
        }

        /** As {@link #check}, but a missing value is a violation too. */
        public String required(String field, Object value, List<FieldViolation> violations) {
            if (value == null) {
                violations.add(new FieldViolation(field, "is required"));
                return null;
            }
            return check(field, value, violations);
        }

        /** A required value, or a {@link DomainException} (400 {@code validation_failed}) naming the field. */
        public String require(String field, Object value) {
            List<FieldViolation> violations = new ArrayList<>(1);
            String s = required(field, value, violations);
            failOn(violations);
            return s;
        }

        /** An optional value ({@code null} stays {@code null}), or a {@link DomainException} naming the field. */
        public String optional(String field, Object value) {
            List<FieldViolation> violations = new ArrayList<>(1);
            String s = check(field, value, violations);
            failOn(violations);
            return s;
        }

        /** Why {@code s} breaks this rule, or {@code null}. */
        public String violation(String s) {
            String problem = floorViolation(s);
            if (problem != null) {
                return problem;
            }
            if (singleLine && s.chars().anyMatch(Character::isISOControl)) {
                return "must not contain control characters (it is one line of text)";
            }
            String value = strip ? s.strip() : s;
            if (min > 0 && value.isBlank()) {
                return "must not be blank";
            }
            if (value.length() < min) {
                return "must be at least " + min + " characters";
            }
            if (value.length() > max) {
                return "must be at most " + max + " characters" + (strip ? " after trimming" : "");
            }
            return null;
        }

        /** This rule with another maximum length. */
        public Rule max(int newMax) {
            return new Rule(min, newMax, strip, singleLine);
        }
    }

    /** Names people choose (workspaces, teams, tokens, automations): trimmed, one line, 1 to 200. */
    public static final Rule NAME = new Rule(1, 200, true, true);
    /** Names of visible agents: trimmed, one line, 1 to 100. */
    public static final Rule AGENT_NAME = new Rule(1, 100, true, true);
    /** Opaque references (organization ids, repository ids, labels): as given, one line, 1 to 200. */
    public static final Rule REFERENCE = new Rule(1, 200, false, true);
    /** Why someone did something (a reject reason): as given, several lines allowed, 1 to 2000. */
    public static final Rule REASON = new Rule(1, 2_000, false, false);
    /** The {@code X-Reason} header recorded in every event's metadata: one line, 1 to 500. */
    public static final Rule HEADER_REASON = new Rule(1, 500, false, true);
    /** Secrets stored encrypted (oauth_token): as given, one line, 1 to 8192. */
    public static final Rule SECRET = new Rule(1, 8_192, false, true);
    /** Free text (descriptions, prompts, code, config values): the floor and a length limit only. */
    public static final Rule FREE_TEXT = new Rule(0, 100_000, false, false);

    private TextRules() {
    }

    /** Why {@code s} fails the floor every string meets (a lone surrogate, NUL), or {@code null}. */
    public static String floorViolation(CharSequence s) {
        int lone = firstLoneSurrogate(s);
        if (lone >= 0) {
            return "must be valid Unicode: it has a lone surrogate at character " + lone;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\0') {
                return "must not contain NUL characters";
            }
        }
        return null;
    }

    /** Whether {@code s} meets the floor. */
    public static boolean isValid(CharSequence s) {
        return floorViolation(s) == null;
    }

    /** The index of the first UTF-16 surrogate that is not half of a pair, or {@code -1}. */
    public static int firstLoneSurrogate(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return i;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code s} with every control character and lone surrogate replaced by U+FFFD: for text we
     * record but do not let a client be refused over (a {@code User-Agent}).
     */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Throws one {@link DomainException} (400 {@code validation_failed}) naming every violation, if any. */
    public static void failOn(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw DomainException.invalid(violations);
        }
    }
}
