package dev.autoplane.events.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A definition revision: {@code major.minor}. Drafts bump the minor part ({@code 0.1}, {@code 0.2});
 * publishing makes the next {@code N.0}.
 */
public record Revision(int major, int minor) implements Comparable<Revision> {

    private static final Pattern FORMAT = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})");

    public static final Revision FIRST_DRAFT = new Revision(0, 1);

    public static Revision parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("revision must look like 1.0 or 0.2");
        }
        return new Revision(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    public Revision nextDraft() {
        return new Revision(major, minor + 1);
    }

    public Revision nextPublished() {
        return new Revision(major + 1, 0);
    }

    @Override
    public int compareTo(Revision o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
