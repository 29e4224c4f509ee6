package dev.autoplane.platform.web.problem;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.Connection;
import reactor.netty.channel.AbortedException;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CancellationException;

/**
 * Tells a failure caused by the client going away from a server fault. When a client hangs up,
 * Reactor cancels the request's pipeline and interrupts the worker running its command; the command
 * then fails with an {@link InterruptedException} (or the write with a closed channel). Such a
 * failure says nothing about the server and is logged as one line, not as a 40-line ERROR.
 */
final class ClientAbort {

    private ClientAbort() {
    }

    static boolean isAbort(ServerWebExchange exchange, Throwable error) {
        return connectionClosed(exchange) || causedByAbort(error);
    }

    /** The request's connection is no longer open (the client closed or reset it). */
    static boolean connectionClosed(ServerWebExchange exchange) {
        try {
            Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
            return nativeRequest instanceof Connection connection && !connection.channel().isActive();
        } catch (IllegalStateException notNetty) {
            return false; // a request not served by Reactor Netty has no connection to look at
        }
    }

    /** Somewhere in the causes: an interruption, a cancellation, or a closed or reset connection. */
    static boolean causedByAbort(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof CancellationException
                    || t instanceof AbortedException || t instanceof ClosedChannelException
                    || (t instanceof IOException io && AbortedException.isConnectionReset(io))) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, as {@code Type: message}, for a one-line log. */
    static String rootSummary(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
