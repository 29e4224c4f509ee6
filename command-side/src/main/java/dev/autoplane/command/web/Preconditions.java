package dev.autoplane.command.web;

import dev.autoplane.platform.web.problem.ApiProblem;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code If-Match}: {@code "3"}, {@code W/"3"} or {@code *}. */
final class Preconditions {

    private static final Pattern ETAG = Pattern.compile("\\s*(?:W/)?\"?([0-9]{1,18})\"?\\s*");

    private Preconditions() {
    }

    /** The expected version, or {@code null} when there is no precondition. */
    static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher m = ETAG.matcher(ifMatch);
        if (!m.matches()) {
            throw new ApiProblem(412, "precondition_failed", "Precondition failed",
                    "If-Match must be an ETag this server issued, like \"3\"", null, null);
        }
        return Long.parseLong(m.group(1));
    }
}
