package dev.autoplane.platform.secret;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class SecretHasherTest {

    /** RFC 4231, test case 2: the hash is HMAC-SHA256, and a thread's MAC starts each token from the key alone. */
    @Test
    void hashesWithHmacSha256AndEachTokenFromTheKeyAlone() {
        SecretHasher hasher = new SecretHasher("Jefe".getBytes(StandardCharsets.US_ASCII));
        String expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

        assertThat(hasher.hash("what do ya want for nothing?")).isEqualTo(expected);
        assertThat(hasher.hash("another token")).isNotEqualTo(expected);
        assertThat(hasher.hash("what do ya want for nothing?")).isEqualTo(expected);
        assertThat(hasher.matches("what do ya want for nothing?", expected)).isTrue();
        assertThat(hasher.matches("what do ya want for nothing!", expected)).isFalse();
        assertThat(hasher.matches("what do ya want for nothing?", null)).isFalse();
    }

    @Test
    void threadsHashingAtOnceAgreeWithOneThread() throws Exception {
        SecretHasher hasher = new SecretHasher(new byte[32]);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tokens.add("ap_pat_" + i);
        }
        List<String> alone = tokens.stream().map(hasher::hash).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> tokens.stream().map(hasher::hash).toList()));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEqualTo(alone);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(new SecretHasher(new byte[32]).hash("ap_pat_1")).isEqualTo(alone.get(1));
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(new SecretHasher(other).hash("ap_pat_1")).isNotEqualTo(alone.get(1));
    }
}
