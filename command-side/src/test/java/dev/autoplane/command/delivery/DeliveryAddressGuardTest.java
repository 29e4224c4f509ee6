package dev.autoplane.command.delivery;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SSRF rule's address classes and URL shapes, and the signature's format. */
class DeliveryAddressGuardTest {

    @Test
    void refusesNonPublicAddresses() throws Exception {
        for (String a : List.of("127.0.0.1", "127.9.9.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                "169.254.169.254", "169.254.1.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "100.64.0.1", "::1", "::",
                "fc00::1", "fd00:ec2::254", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1")) {
            assertThat(DeliveryAddressGuard.refused(InetAddress.getByName(a))).as(a).isTrue();
        }
        for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2606:4700:4700::1111")) {
            assertThat(DeliveryAddressGuard.refused(InetAddress.getByName(a))).as(a).isFalse();
        }
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHost() {
        assertThat(DeliveryAddressGuard.shapeProblem("https://example.com/runs")).isEmpty();
        assertThat(DeliveryAddressGuard.shapeProblem("http://example.com:8080/runs?x=1")).isEmpty();
        for (String bad : List.of("ftp://example.com/", "file:///etc/passwd", "example.com/runs", "https:///x",
                "https://user:pw@example.com/", "https://example.com/#f", "not a url", "")) {
            assertThat(DeliveryAddressGuard.shapeProblem(bad)).as(bad).isPresent();
        }
        assertThat(new DeliveryAddressGuard(false).check("http://127.0.0.1/x")).isPresent();
        assertThat(new DeliveryAddressGuard(true).check("http://127.0.0.1/x")).isEmpty();
    }

    @Test
    void theSecretAndSignatureFollowStandardWebhooks() {
        String secret = WebhookSigner.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        // the example of the Standard Webhooks specification's reference implementations
        String example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String sig = WebhookSigner.signature(List.of(example), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(sig).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(WebhookSigner.signature(List.of(example, secret), "id", 1L, new byte[0]).split(" ")).hasSize(2);
    }
}
