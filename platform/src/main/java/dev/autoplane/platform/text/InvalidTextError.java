package dev.autoplane.platform.text;

/**
 * A string that breaks the floor of {@link TextRules} reached the event store: a field rule was
 * missed somewhere. The event store refuses it (the log is immutable, so such a string would stay
 * unreadable for strict parsers forever) and the command fails whole; the client gets a
 * {@code 400} and the log names the gap.
 */
public class InvalidTextError extends IllegalArgumentException {

    public InvalidTextError(String message) {
        super(message);
    }
}
