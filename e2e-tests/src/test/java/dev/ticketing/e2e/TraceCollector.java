package dev.ticketing.e2e;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP trace receiver that keeps the spans in memory: every service of the suite exports
 * to it, so a test can read the spans of one journey across the processes. It decodes only the
 * fields the tests read from the protobuf (ExportTraceServiceRequest: resource service.name, span
 * ids, name and kind), skipping the rest by wire type.
 */
final class TraceCollector implements AutoCloseable {

    /** One span as a test reads it; kind is OTLP's (1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
    record CollectedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind) {
        static final int SERVER = 2;
        static final int CONSUMER = 5;
    }

    private static final int MAX_SPANS = 200_000;

    private final HttpServer server;
    private final ConcurrentLinkedQueue<CollectedSpan> spans = new ConcurrentLinkedQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    TraceCollector() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                decodeRequest(body.readAllBytes());
                accepted.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException malformed) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "otlp-collector");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<CollectedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** For failure messages: what has arrived so far. */
    String summary() {
        return "collector: " + accepted.get() + " exports accepted, " + refused.get() + " refused, " + spans.size()
                + " spans from " + spans.stream().map(CollectedSpan::service).distinct().sorted().toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void decodeRequest(byte[] bytes) {
        Reader request = new Reader(bytes);
        while (request.more()) {
            int field = request.tag();
            if (field == 1) { // ResourceSpans
                decodeResourceSpans(request.message());
            } else {
                request.skip();
            }
        }
        while (spans.size() > MAX_SPANS) {
            spans.poll();
        }
    }

    private void decodeResourceSpans(Reader resourceSpans) {
        String service = "";
        List<Reader> scopes = new ArrayList<>();
        while (resourceSpans.more()) {
            int field = resourceSpans.tag();
            if (field == 1) { // Resource
                Reader resource = resourceSpans.message();
                while (resource.more()) {
                    if (resource.tag() == 1) { // KeyValue attributes
                        Reader kv = resource.message();
                        String key = "";
                        String value = "";
                        while (kv.more()) {
                            int f = kv.tag();
                            if (f == 1) {
                                key = kv.string();
                            } else if (f == 2) { // AnyValue
                                Reader any = kv.message();
                                while (any.more()) {
                                    if (any.tag() == 1) {
                                        value = any.string();
                                    } else {
                                        any.skip();
                                    }
                                }
                            } else {
                                kv.skip();
                            }
                        }
                        if (key.equals("service.name")) {
                            service = value;
                        }
                    } else {
                        resource.skip();
                    }
                }
            } else if (field == 2) { // ScopeSpans
                scopes.add(resourceSpans.message());
            } else {
                resourceSpans.skip();
            }
        }
        for (Reader scope : scopes) {
            while (scope.more()) {
                if (scope.tag() == 2) { // Span
                    spans.add(decodeSpan(service, scope.message()));
                } else {
                    scope.skip();
                }
            }
        }
    }

    private static CollectedSpan decodeSpan(String service, Reader span) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        while (span.more()) {
            switch (span.tag()) {
                case 1 -> traceId = span.hex();
                case 2 -> spanId = span.hex();
                case 4 -> parent = span.hex();
                case 5 -> name = span.string();
                case 6 -> kind = (int) span.varint();
                default -> span.skip();
            }
        }
        return new CollectedSpan(service, traceId, spanId, parent, name, kind);
    }

    /** Protocol Buffers wire format, as much of it as the fields above need. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;
        private int wireType;

        Reader(byte[] buf) {
            this(buf, 0, buf.length);
        }

        private Reader(byte[] buf, int from, int to) {
            this.buf = buf;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            long key = varint();
            wireType = (int) (key & 7);
            return (int) (key >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf[pos++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        Reader message() {
            int length = (int) varint();
            Reader inner = new Reader(buf, pos, pos + length);
            pos += length;
            return inner;
        }

        String string() {
            int length = (int) varint();
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        String hex() {
            int length = (int) varint();
            String s = HexFormat.of().formatHex(buf, pos, pos + length);
            pos += length;
            return s;
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int length = (int) varint(); // read first: "pos += varint()" would add to the old pos
                    pos += length;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("wire type " + wireType);
            }
        }
    }
}
