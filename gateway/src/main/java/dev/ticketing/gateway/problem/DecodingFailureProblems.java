package dev.ticketing.gateway.problem;

import dev.ticketing.web.ProblemCode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import java.util.Map;

/**
 * A request Netty cannot decode (a request line over its 4 KiB limit, headers over 8 KiB, a malformed line) never
 * reaches Spring: Reactor Netty answers it itself, 414, 431 or 400 with an empty body. This handler, placed just after
 * the HTTP codec, gives those answers the problem+json body every other refusal has (codes {@code URI_TOO_LONG},
 * {@code HEADERS_TOO_LARGE}, {@code MALFORMED_REQUEST}), so that a client can read every error the same way.
 * Only bodiless 400, 414 and 431 answers without a content type are touched: none of the gateway's own or proxied
 * answers is one.
 */
@Component
class DecodingFailureProblems implements NettyServerCustomizer {

    private static final String NAME = "ticketing.decodingFailureProblems";

    private final Handler handler;

    DecodingFailureProblems(ObjectMapper json) {
        // Three fixed answers, written once.
        this.handler = new Handler(Map.of(
                400, ProblemResponses.document(json, ProblemCode.MALFORMED_REQUEST,
                        "the request could not be read as HTTP/1.1"),
                414, ProblemResponses.document(json, ProblemCode.URI_TOO_LONG,
                        "the request line is over 4 KiB"),
                431, ProblemResponses.document(json, ProblemCode.HEADERS_TOO_LARGE,
                        "the request headers are over 8 KiB")));
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, handler);
            }
        });
    }

    @ChannelHandler.Sharable
    static final class Handler extends ChannelDuplexHandler {

        /** By the status Reactor Netty answers a request it could not decode with: the problem document instead. */
        private final Map<Integer, byte[]> bodies;

        Handler(Map<Integer, byte[]> bodies) {
            this.bodies = bodies;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            byte[] body = msg instanceof FullHttpResponse response ? bodies.get(response.status().code()) : null;
            if (body != null && msg instanceof FullHttpResponse response
                    && !response.content().isReadable() && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                FullHttpResponse problem = response.replace(Unpooled.wrappedBuffer(body));
                problem.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                        .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                response.release();
                ctx.write(problem, promise);
                return;
            }
            ctx.write(msg, promise);
        }
    }
}
