package dev.autoplane.platform.web.server;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The limits the HTTP server enforces on every connection ({@code autoplane.server.*}, env
 * {@code AUTOPLANE_SERVER_*}), so that slow, idle or oversized clients cannot hold the process's
 * sockets, file descriptors or memory. Each is documented in {@code docs/security.md}.
 *
 * <ul>
 * <li>{@code header-timeout} (10 s): from the first byte of a request until its request line and
 *     headers are complete; a slowloris client gets {@code 408} and the connection is closed.</li>
 * <li>{@code body-timeout} (30 s): from the end of the headers until the last byte of the body.</li>
 * <li>{@code idle-timeout} (60 s): how long a connection may stay open with no request in progress
 *     (fresh or kept alive); it is then closed without an answer, as HTTP/1.1 allows.</li>
 * <li>{@code max-connections}: connections above this may only ask for {@code /actuator/health}
 *     (anything else is answered {@code 503}, then closed); above it plus {@code health-reserve} (32)
 *     they are answered {@code 503} and closed at once. The default is half the process's
 *     file-descriptor limit, at most 4,096, so the process keeps descriptors for its database, its
 *     logs and the connections it already serves, and a health probe still gets its answer.</li>
 * <li>{@code max-request-line} (8 KiB, else {@code 414}), {@code max-header-size} (16 KiB in all,
 *     else {@code 431}) and {@code max-body-size} (1 MiB by {@code Content-Length}, else {@code 413}).</li>
 * </ul>
 */
@Component
public class ServerLimits {

    static final int MAX_CONNECTIONS_CAP = 4096;

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final long maxBodySize;
    private final int healthReserve;

    public ServerLimits(@Value("${autoplane.server.header-timeout:PT10S}") Duration headerTimeout,
                        @Value("${autoplane.server.body-timeout:PT30S}") Duration bodyTimeout,
                        @Value("${autoplane.server.idle-timeout:PT60S}") Duration idleTimeout,
                        @Value("${autoplane.server.max-connections:0}") int maxConnections,
                        @Value("${autoplane.server.max-request-line:8KB}") DataSize maxRequestLine,
                        @Value("${autoplane.server.max-header-size:16KB}") DataSize maxHeaderSize,
                        @Value("${autoplane.server.max-body-size:1MB}") DataSize maxBodySize,
                        @Value("${autoplane.server.health-reserve:32}") int healthReserve) {
        this.headerTimeout = positive("header-timeout", headerTimeout);
        this.bodyTimeout = positive("body-timeout", bodyTimeout);
        this.idleTimeout = positive("idle-timeout", idleTimeout);
        if (maxConnections < 0) {
            throw new IllegalStateException("autoplane.server.max-connections must not be negative (0: sized for the machine)");
        }
        this.maxConnections = maxConnections == 0 ? defaultMaxConnections(openFileLimit()) : maxConnections;
        this.maxRequestLine = (int) atLeast("max-request-line", maxRequestLine, 256);
        this.maxHeaderSize = (int) atLeast("max-header-size", maxHeaderSize, 1024);
        this.maxBodySize = atLeast("max-body-size", maxBodySize, 1024);
        if (healthReserve < 0) {
            throw new IllegalStateException("autoplane.server.health-reserve must not be negative");
        }
        this.healthReserve = healthReserve;
    }

    /** Half the descriptor limit (the rest is for files, sockets to databases, logs), at most 4,096, at least 16. */
    static int defaultMaxConnections(long openFileLimit) {
        if (openFileLimit <= 0) {
            return MAX_CONNECTIONS_CAP;
        }
        return (int) Math.max(16, Math.min(MAX_CONNECTIONS_CAP, openFileLimit / 2));
    }

    private static long openFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    private static Duration positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalStateException("autoplane.server." + name + " must be positive");
        }
        return value;
    }

    private static long atLeast(String name, DataSize value, long min) {
        if (value == null || value.toBytes() < min || value.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalStateException("autoplane.server." + name + " must be between " + min + " bytes and 2 GiB");
        }
        return value.toBytes();
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxRequestLine() {
        return maxRequestLine;
    }

    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    public long maxBodySize() {
        return maxBodySize;
    }

    public int healthReserve() {
        return healthReserve;
    }
}
