package dev.autoplane.platform.web.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The per-connection timeouts and the problem+json answers of the Netty layer, for one HTTP/1.1
 * connection. Reactor Netty's own options do not cover a client that sends its headers one byte a
 * second (its idle and read timeouts restart with every byte, or start only once the headers are
 * complete), and its answers to a request line or headers over the limit had empty bodies and were
 * sometimes never sent on a kept-alive connection. So this guard follows each connection through
 * three phases, with one timer each:
 * <ul>
 * <li><b>idle</b> (no request in progress, no response being written): closed after the idle timeout;</li>
 * <li><b>head</b> (from a request's first byte until its headers are decoded): {@code 408} after the header timeout;</li>
 * <li><b>body</b> (from the headers until the body's last byte): {@code 408} after the body timeout.</li>
 * </ul>
 * A request the decoder refuses (request line or headers too large, malformed) and a declared body
 * over the limit are answered here with problem+json and the connection is closed; Spring never sees
 * them. If a response is still being written on the connection, the answer waits for its end
 * (HTTP/1.1 answers in order); a timeout in that state just closes the connection.
 *
 * <p>Two handlers share this state: {@link #bytes()} sits before the HTTP codec (it sees the raw
 * bytes, so it knows when a request starts, and writes the raw answers), {@link #messages()} after it
 * (it sees decoded requests and the responses written).
 */
final class ConnectionGuard {

    static final String BYTES = "autoplane.guard.bytes";
    static final String MESSAGES = "autoplane.guard.messages";
    /** Set on a connection the {@link ConnectionLimiter} turned away. */
    static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("autoplane.refused");
    /** Set (to the limit) on a connection over the limit that may only ask for its health, once. */
    static final AttributeKey<Integer> HEALTH_ONLY = AttributeKey.valueOf("autoplane.healthOnly");
    static final String HEALTH_PATH = "/actuator/health";

    private enum Phase { IDLE, HEAD, BODY, FAILED }

    private final ServerLimits limits;
    private final Bytes bytes = new Bytes();
    private final Messages messages = new Messages();
    private ChannelHandlerContext raw;
    private Phase phase = Phase.IDLE;
    /** Requests decoded and not yet answered completely. */
    private int responsesInProgress;
    /** A response's head was written and its last part not yet. */
    private boolean writing;
    /** Our own answer went out: anything else written to this connection is dropped. */
    private boolean answered;
    private NettyProblem pending;
    private ScheduledFuture<?> timer;

    ConnectionGuard(ServerLimits limits) {
        this.limits = limits;
    }

    ChannelInboundHandlerAdapter bytes() {
        return bytes;
    }

    ChannelDuplexHandler messages() {
        return messages;
    }

    /** Before the codec: a request starts with its first byte; after a refusal, input is discarded. */
    private final class Bytes extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            raw = ctx;
            if (ctx.channel().isActive()) {
                startIdle();
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            // the limiter (first in the pipeline) marks a connection over the limit just before this
            if (phase == Phase.IDLE && (timer == null || healthOnly(ctx))) {
                startIdle();
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (phase == Phase.FAILED) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (phase == Phase.IDLE && msg instanceof ByteBuf buf && buf.isReadable()) {
                phase = Phase.HEAD;
                schedule(limits.headerTimeout(), () -> {
                    if (phase == Phase.HEAD) {
                        fail(NettyProblem.headerTimeout(limits.headerTimeout().toSeconds()));
                    }
                });
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelTimer();
            super.channelInactive(ctx);
        }
    }

    /** After the codec: decoded requests end the head phase, written responses the busy one. */
    private final class Messages extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (phase == Phase.FAILED) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                DecoderResult result = request.decoderResult();
                if (result.isFailure()) {
                    ReferenceCountUtil.release(msg);
                    fail(refusal(result.cause()));
                    return;
                }
                Integer healthOnlyLimit = ctx.channel().attr(HEALTH_ONLY).get();
                if (healthOnlyLimit != null && !isHealth(request.uri())) {
                    ReferenceCountUtil.release(msg);
                    fail(NettyProblem.tooManyConnections(healthOnlyLimit));
                    return;
                }
                if (HttpUtil.getContentLength(request, -1L) > limits.maxBodySize()) {
                    ReferenceCountUtil.release(msg);
                    fail(NettyProblem.bodyTooLarge(limits.maxBodySize()));
                    return;
                }
                responsesInProgress++;
                phase = Phase.BODY;
                schedule(limits.bodyTimeout(), () -> {
                    if (phase == Phase.BODY) {
                        fail(NettyProblem.bodyTimeout(limits.bodyTimeout().toSeconds()));
                    }
                });
            }
            if (msg instanceof LastHttpContent && phase == Phase.BODY) {
                phase = Phase.IDLE;
                cancelTimer();
                if (responsesInProgress == 0) {
                    startIdle(); // answered before its body was read
                }
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (answered) {
                ReferenceCountUtil.release(msg);
                promise.setFailure(new java.nio.channels.ClosedChannelException());
                return;
            }
            if (msg instanceof HttpResponse response && !isInformational(response)) {
                writing = true;
            }
            if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse response && isInformational(response))) {
                promise = promise.unvoid();
                promise.addListener(f -> responseDone());
            }
            super.write(ctx, msg, promise);
        }
    }

    /** (Not {@code hasAttr}: reading an attribute creates it, so it would be there on every connection.) */
    private static boolean healthOnly(ChannelHandlerContext ctx) {
        return ctx.channel().attr(HEALTH_ONLY).get() != null;
    }

    private static boolean isHealth(String uri) {
        return uri.equals(HEALTH_PATH) || uri.startsWith(HEALTH_PATH + "/") || uri.startsWith(HEALTH_PATH + "?");
    }

    private static boolean isInformational(HttpResponse response) {
        return response.status().code() < 200;
    }

    private void responseDone() {
        writing = false;
        responsesInProgress = Math.max(0, responsesInProgress - 1);
        if (responsesInProgress > 0) {
            return;
        }
        if (pending != null) {
            NettyProblem problem = pending;
            pending = null;
            answer(problem);
        } else if (healthOnly(raw)) {
            NettyProblem.closeSoon(raw); // one health answer per connection over the limit
        } else if (phase == Phase.IDLE && raw.channel().isActive()) {
            startIdle();
        }
    }

    private static NettyProblem refusalFor(Throwable cause, ServerLimits limits) {
        if (cause instanceof TooLongHttpLineException) {
            return NettyProblem.requestLineTooLong(limits.maxRequestLine());
        }
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            return NettyProblem.headersTooLarge(limits.maxHeaderSize());
        }
        return NettyProblem.malformed();
    }

    private NettyProblem refusal(Throwable cause) {
        return refusalFor(cause, limits);
    }

    /**
     * Refuses the request being read: answers the problem (now, or once the responses to earlier
     * requests on this connection are written) and closes the connection.
     */
    private void fail(NettyProblem problem) {
        boolean inBody = phase == Phase.BODY;
        phase = Phase.FAILED;
        cancelTimer();
        if (inBody && responsesInProgress == 0) {
            raw.channel().close(); // it was answered already, before its body arrived
            return;
        }
        if (inBody) {
            responsesInProgress--; // this request will be answered here, not by Spring
        }
        if (writing || (inBody && responsesInProgress > 0)) {
            raw.channel().close(); // an answer now would land inside another response
        } else if (responsesInProgress > 0) {
            pending = problem;
        } else {
            answer(problem);
        }
    }

    private void answer(NettyProblem problem) {
        answered = true;
        problem.answerAndClose(raw);
    }

    private void startIdle() {
        phase = Phase.IDLE;
        // a connection over the limit gets no more idle time than a slow client gets for its headers
        Duration idle = healthOnly(raw) && limits.headerTimeout().compareTo(limits.idleTimeout()) < 0
                ? limits.headerTimeout() : limits.idleTimeout();
        schedule(idle, () -> {
            if (phase == Phase.IDLE && responsesInProgress == 0) {
                raw.channel().close();
            }
        });
    }

    private void schedule(Duration after, Runnable task) {
        cancelTimer();
        timer = raw.executor().schedule(task, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
