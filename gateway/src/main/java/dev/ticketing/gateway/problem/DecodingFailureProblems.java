package dev.ticketing.gateway.problem;

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

import java.nio.charset.StandardCharsets;

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

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, Handler.INSTANCE);
            }
        });
    }

    @ChannelHandler.Sharable
    static final class Handler extends ChannelDuplexHandler {

        static final Handler INSTANCE = new Handler();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof FullHttpResponse response && isDecodingFailure(response.status().code())
                    && !response.content().isReadable() && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                byte[] body = body(response.status().code()).getBytes(StandardCharsets.UTF_8);
                FullHttpResponse problem = response.replace(Unpooled.wrappedBuffer(body));
                problem.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                        .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                response.release();
                ctx.write(problem, promise);
                return;
            }
            ctx.write(msg, promise);
        }

        /** The statuses Reactor Netty answers a request it could not decode with. */
        private static boolean isDecodingFailure(int status) {
            return status == 400 || status == 414 || status == 431;
        }

        static String body(int status) {
            String code;
            String title;
            String detail;
            switch (status) {
                case 414 -> {
                    code = "URI_TOO_LONG";
                    title = "URI Too Long";
                    detail = "the request line is over 4 KiB";
                }
                case 431 -> {
                    code = "HEADERS_TOO_LARGE";
                    title = "Request Header Fields Too Large";
                    detail = "the request headers are over 8 KiB";
                }
                default -> {
                    code = "MALFORMED_REQUEST";
                    title = "Bad Request";
                    detail = "the request could not be read as HTTP/1.1";
                }
            }
            return "{\"type\":\"https://ticketing.dev/problems/" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}";
        }
    }
}
