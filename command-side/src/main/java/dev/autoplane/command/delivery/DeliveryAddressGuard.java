package dev.autoplane.command.delivery;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF rule of push delivery (docs/runs.md "Push delivery"): only {@code http} and {@code https} URLs,
 * and every address the host resolves to must be public. Loopback, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local (169.254/16, fe80::/10, the metadata addresses 169.254.169.254 and fd00:ec2::254
 * among them), unspecified, multicast and carrier-grade NAT (100.64/10) addresses are refused, unless
 * {@code autoplane.delivery.allow-private-networks} ({@code AUTOPLANE_DELIVERY_ALLOW_PRIVATE_NETWORKS}) is true.
 * Checked when the URL is set and again before every send (DNS may change meanwhile).
 */
@Component
public class DeliveryAddressGuard {

    static final int MAX_URL_LENGTH = 2048;

    private final boolean allowPrivate;

    public DeliveryAddressGuard(@Value("${autoplane.delivery.allow-private-networks:false}") boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL's shape: empty when it is an absolute http(s) URL with a host, else why not. */
    public static Optional<String> shapeProblem(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            return Optional.of("must be an http or https URL of at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return Optional.of("must be a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must use http or https");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials (user:password@)");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        return Optional.empty();
    }

    /** Empty when the URL may be delivered to now; else why not (shape, unresolvable host, refused address). */
    public Optional<String> check(String url) {
        Optional<String> shape = shapeProblem(url);
        if (shape.isPresent()) {
            return shape;
        }
        String host = URI.create(url).getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("its host " + host + " does not resolve");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        for (InetAddress a : addresses) {
            if (refused(a)) {
                return Optional.of("its host resolves to " + a.getHostAddress() + ", a loopback, private, link-local, "
                        + "metadata, multicast or unspecified address (allowed only with "
                        + "AUTOPLANE_DELIVERY_ALLOW_PRIVATE_NETWORKS=true)");
            }
        }
        return Optional.empty();
    }

    /** Whether delivery to this address is refused (unless private networks are allowed). */
    static boolean refused(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || first == 10 || (first == 172 && second >= 16 && second < 32) || (first == 192 && second == 168)
                    || (first == 169 && second == 254) // link-local, 169.254.169.254 (metadata) among them
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || first >= 224; // multicast, reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local, fd00:ec2::254 (metadata) among them
                return true;
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0x80) { // fe80::/10
                return true;
            }
            boolean v4Mapped = true; // ::ffff:a.b.c.d
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return refused(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
