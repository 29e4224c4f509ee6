package dev.autoplane.platform.web.server;

import io.netty.channel.ChannelPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;

/**
 * Applies {@link ServerLimits} to the Reactor Netty server of every Autoplane process (standalone,
 * command side, query side): the decoder's request-line and header limits, the connection limit and
 * the per-connection timeouts. It runs after Spring Boot's own customizer ({@code server.*}
 * properties), so the documented {@code autoplane.server.*} values are the ones in force.
 */
@Component
public class ServerLimitsCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ServerLimitsCustomizer.class);

    private final ServerLimits limits;
    private final ConnectionLimiter limiter;

    public ServerLimitsCustomizer(ServerLimits limits) {
        this.limits = limits;
        this.limiter = new ConnectionLimiter(limits.maxConnections(), limits.healthReserve());
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(server -> server
                .httpRequestDecoder(spec -> spec
                        .maxInitialLineLength(limits.maxRequestLine())
                        .maxHeaderSize(limits.maxHeaderSize()))
                .doOnChannelInit((observer, channel, address) -> install(channel.pipeline())));
        log.info("HTTP limits: {} connections (+{} for health probes); header timeout {}, body timeout {}, idle timeout {}; request line {} B, headers {} B, body {} B",
                limits.maxConnections(), limits.healthReserve(), limits.headerTimeout(), limits.bodyTimeout(), limits.idleTimeout(),
                limits.maxRequestLine(), limits.maxHeaderSize(), limits.maxBodySize());
    }

    /** Connections open right now, as the limiter counts them. */
    public int openConnections() {
        return limiter.open();
    }

    private void install(ChannelPipeline pipeline) {
        pipeline.addFirst(ConnectionLimiter.NAME, limiter);
        if (pipeline.get(NettyPipeline.HttpCodec) == null) {
            return; // not HTTP/1.1 (h2 is not enabled): only the connection limit applies
        }
        ConnectionGuard guard = new ConnectionGuard(limits);
        pipeline.addBefore(NettyPipeline.HttpCodec, ConnectionGuard.BYTES, guard.bytes());
        pipeline.addAfter(NettyPipeline.HttpCodec, ConnectionGuard.MESSAGES, guard.messages());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
