package dev.autoplane.platform.scheduling;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the API accepts them: ISO-8601 ({@code PT15M}) or short ({@code 30s}, {@code 15m}, {@code 1h}, {@code 2d}). */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})([smhd])");

    private Durations() {
    }

    /**
     * Parsed durations by text: every fold of an automation's sources derives its timing from the spec again, so a
     * fire parsed its interval each time (a regex and {@link Duration#parse}). Bounded; a text that does not parse
     * is not kept.
     */
    private static final com.github.benmanes.caffeine.cache.Cache<String, Duration> PARSED =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(1_024).build();

    /** The duration {@code text} denotes, or empty if it is neither form (zero and negative ones parse). */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(PARSED.get(text, Durations::parseAnew));
    }

    private static Duration parseAnew(String text) {
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null; // not kept (Caffeine stores no null)
        }
    }

    /** {@code 15 minutes}, {@code 1 hour 30 minutes}, {@code 45 seconds}. */
    public static String humanize(Duration d) {
        StringBuilder out = new StringBuilder();
        long days = d.toDays();
        append(out, days, "day");
        append(out, d.toHoursPart(), "hour");
        append(out, d.toMinutesPart(), "minute");
        append(out, d.toSecondsPart(), "second");
        if (out.isEmpty()) {
            append(out, Math.max(1, d.toMillisPart()), "millisecond");
        }
        return out.toString();
    }

    private static void append(StringBuilder out, long n, String unit) {
        if (n == 0) {
            return;
        }
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(n).append(' ').append(unit).append(n == 1 ? "" : "s");
    }
}
