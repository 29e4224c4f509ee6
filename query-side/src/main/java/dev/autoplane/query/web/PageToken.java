package dev.autoplane.query.web;

import dev.autoplane.platform.web.problem.ApiProblem;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque keyset cursors: base64url of a tagged position; anything else is a 400. */
final class PageToken {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 1000;

    private PageToken() {
    }

    static String encode(String kind, String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position, or {@code null} for the first page. */
    static String decode(String kind, String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":") && text.length() <= 200) {
                return text.substring(kind.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ApiProblem.invalid("page_token", "is not a page token this listing issued");
    }

    /** Default 50, larger values coerced to 1000, zero or negative refused. */
    static int size(Integer requested) {
        if (requested == null) {
            return DEFAULT_SIZE;
        }
        if (requested < 1) {
            throw ApiProblem.invalid("page_size", "must be at least 1");
        }
        return Math.min(requested, MAX_SIZE);
    }
}
