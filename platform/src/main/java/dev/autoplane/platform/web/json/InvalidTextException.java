package dev.autoplane.platform.web.json;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON string in a request body that breaks the floor of
 * {@link dev.autoplane.platform.text.TextRules} (a lone surrogate, NUL). Its path names the field;
 * the problem handler answers {@code 400 validation_failed} with this message.
 */
public class InvalidTextException extends MismatchedInputException {

    InvalidTextException(JsonParser parser, String message) {
        super(parser, message, String.class);
    }
}
