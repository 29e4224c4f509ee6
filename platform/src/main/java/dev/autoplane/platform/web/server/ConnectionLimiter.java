package dev.autoplane.platform.web.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the server's open connections and turns away those above {@link ServerLimits#maxConnections()}:
 * the first {@link ServerLimits#healthReserve()} of them may still ask for {@code /actuator/health}
 * (a load balancer's or orchestrator's probe on a new connection; {@link ConnectionGuard} answers
 * anything else {@code 503}), the rest are answered {@code 503} problem+json and closed at once,
 * before any HTTP handler sees them.
 * Without a limit, 22,000 idle connections used up the process's file descriptors and every request,
 * health checks included, timed out; with it, the connections already open (a load balancer's
 * health check on a kept-alive connection) keep being served. One instance per server, first in
 * every connection's pipeline.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    static final String NAME = "autoplane.connectionLimiter";

    private final int max;
    private final int healthReserve;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int max, int healthReserve) {
        this.max = max;
        this.healthReserve = healthReserve;
    }

    /** Connections open right now (turned-away ones included until they are closed). */
    int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        int now = open.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
        if (now > max && now <= max + healthReserve) {
            // over the limit, within the reserve: this connection may ask for its health only (the guard checks)
            ctx.channel().attr(ConnectionGuard.HEALTH_ONLY).set(max);
        } else if (now > max) {
            ctx.channel().attr(ConnectionGuard.REFUSED).set(Boolean.TRUE);
            // answered from here, towards the socket: the HTTP handlers never see this connection
            ctx.writeAndFlush(NettyProblem.tooManyConnections(max).encode(ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (Boolean.TRUE.equals(ctx.channel().attr(ConnectionGuard.REFUSED).get())) {
            ReferenceCountUtil.release(msg);
            return;
        }
        super.channelRead(ctx, msg);
    }
}
