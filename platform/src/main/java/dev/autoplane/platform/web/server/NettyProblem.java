package dev.autoplane.platform.web.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An RFC 9457 problem answered by the Netty layer itself, before any request reaches Spring: a
 * request line or headers too large, a malformed request, a timeout, a full server. The answer is
 * written as raw HTTP/1.1 bytes (the same whatever state the HTTP codec is in), always with
 * {@code Connection: close}; then the server stops writing, discards whatever the client still
 * sends (closing a socket with unread input makes the kernel reset it, and the client may lose the
 * answer) and closes the connection once the client does, or after {@link #LINGER_SECONDS}.
 */
record NettyProblem(int status, String code, String title, String detail) {

    /** How long a connection answered with a problem may linger for its client to read the answer. */
    static final long LINGER_SECONDS = 2;

    static NettyProblem requestLineTooLong(int limit) {
        return new NettyProblem(414, "uri_too_long", "URI Too Long",
                "the request line is limited to " + limit + " bytes");
    }

    static NettyProblem headersTooLarge(int limit) {
        return new NettyProblem(431, "request_header_fields_too_large", "Request Header Fields Too Large",
                "the request headers are limited to " + limit + " bytes in all");
    }

    static NettyProblem bodyTooLarge(long limit) {
        return new NettyProblem(413, "payload_too_large", "Payload too large",
                "request bodies are limited to " + limit + " bytes");
    }

    static NettyProblem malformed() {
        return new NettyProblem(400, "malformed_request", "Bad Request", "the request is not valid HTTP/1.1");
    }

    static NettyProblem headerTimeout(long seconds) {
        return new NettyProblem(408, "request_timeout", "Request Timeout",
                "the request line and headers did not arrive within " + seconds + " s");
    }

    static NettyProblem bodyTimeout(long seconds) {
        return new NettyProblem(408, "request_timeout", "Request Timeout",
                "the request body did not arrive within " + seconds + " s");
    }

    static NettyProblem tooManyConnections(int limit) {
        return new NettyProblem(503, "too_many_connections", "Service Unavailable",
                "the server holds its limit of " + limit + " open connections; retry later");
    }

    /** The whole HTTP/1.1 response. Every string here is ours and plain ASCII, so no JSON escaping is needed. */
    ByteBuf encode(ByteBufAllocator alloc) {
        String body = "{\"type\":\"https://autoplane.dev/problems/" + code + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}";
        byte[] content = body.getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 " + status + " " + title + "\r\n"
                + "Content-Type: application/problem+json\r\n"
                + "Content-Length: " + content.length + "\r\n"
                + (status == 503 ? "Retry-After: 1\r\n" : "")
                + "Connection: close\r\n\r\n";
        ByteBuf buf = alloc.buffer(head.length() + content.length);
        buf.writeCharSequence(head, StandardCharsets.US_ASCII);
        buf.writeBytes(content);
        return buf;
    }

    /**
     * Writes the answer from {@code ctx} towards the socket (handlers nearer the socket, such as TLS,
     * still apply), half-closes and closes the connection soon after.
     */
    void answerAndClose(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(encode(ctx.alloc())).addListener((ChannelFutureListener) f -> closeSoon(ctx));
    }

    /** Stops writing; the connection closes when the client closes its side, or after the linger time. */
    static void closeSoon(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
            ctx.executor().schedule(() -> ctx.channel().close(), LINGER_SECONDS, TimeUnit.SECONDS);
        } else {
            ctx.channel().close();
        }
    }
}
