package dev.autoplane.platform.secret;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * Bearer secrets in the format {@code <prefix><43 base62 chars of 256 random bits><6 base62 chars of CRC32>}.
 * The checksum lets us (and secret scanners) reject a mistyped or made-up token before any lookup.
 */
public final class SecretTokens {

    public static final String PERSONAL_ACCESS_TOKEN = "ap_pat_";
    public static final String AUTOMATION_SECRET = "ap_sk_";
    public static final String WEBHOOK_SECRET = "whsec_";

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int BODY_LENGTH = 43;
    private static final int CHECKSUM_LENGTH = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretTokens() {
    }

    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        StringBuilder body = new StringBuilder(BODY_LENGTH);
        java.math.BigInteger value = new java.math.BigInteger(1, bytes);
        java.math.BigInteger base = java.math.BigInteger.valueOf(62);
        for (int i = 0; i < BODY_LENGTH; i++) {
            java.math.BigInteger[] qr = value.divideAndRemainder(base);
            body.append(BASE62[qr[1].intValue()]);
            value = qr[0];
        }
        return prefix + body + checksum(prefix + body);
    }

    /** Shape and checksum only: a token that passes may still be unknown, revoked or expired. */
    public static boolean isWellFormed(String prefix, String token) {
        if (token == null || token.length() != prefix.length() + BODY_LENGTH + CHECKSUM_LENGTH || !token.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < token.length(); i++) {
            if (!isBase62(token.charAt(i))) {
                return false;
            }
        }
        int split = token.length() - CHECKSUM_LENGTH;
        return checksum(token.substring(0, split)).equals(token.substring(split));
    }

    private static boolean isBase62(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62[(int) (value % 62)];
            value /= 62;
        }
        return new String(out);
    }
}
