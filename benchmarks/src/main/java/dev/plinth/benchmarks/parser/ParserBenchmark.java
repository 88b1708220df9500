package dev.plinth.benchmarks.parser;

import dev.plinth.http.parser.HttpParseException;
import dev.plinth.http.parser.ParserConfig;
import dev.plinth.http.parser.RequestListener;
import dev.plinth.http.parser.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parses the {@link Corpus} with Plinth's {@link RequestParser}, Jetty 12's {@link HttpParser} and Netty's
 * {@link HttpRequestDecoder}. One operation is one request (the score is requests per second; gc.alloc.rate.norm is
 * bytes per request). Each parser does what a server needs: method, target and version, every header name and value
 * as a String (Netty: its native CharSequence, an AsciiString name and a String value), the body bytes, and the
 * end of the message. Each request comes in its own heap buffer; each parser is reused across requests, as on a
 * persistent connection. The parsers are given their server defaults (Jetty: RFC 9110 compliance with its header
 * cache; Netty: header validation on).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParserBenchmark {
    private byte[][] corpus;
    private ByteBuffer[] buffers;
    private ByteBuf[] nettyBuffers;

    private PlinthListener plinthListener;
    private RequestParser plinth;
    private JettyHandler jettyHandler;
    private HttpParser jetty;
    private NettyDecoder netty;
    private final List<Object> nettyOut = new ArrayList<>();

    @Setup
    public void setup() throws Exception {
        corpus = Corpus.requests();
        buffers = new ByteBuffer[corpus.length];
        nettyBuffers = new ByteBuf[corpus.length];
        for (int i = 0; i < corpus.length; i++) {
            buffers[i] = ByteBuffer.wrap(corpus[i]);
            nettyBuffers[i] = Unpooled.wrappedBuffer(corpus[i]);
        }
        plinthListener = new PlinthListener();
        plinth = new RequestParser(ParserConfig.DEFAULT, plinthListener);
        jettyHandler = new JettyHandler();
        jetty = new HttpParser(jettyHandler, 8192, HttpCompliance.RFC9110);
        netty = new NettyDecoder();
        // each parser must see the same requests: same header count and body bytes
        Blackhole check = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        plinth(check);
        jetty(check);
        netty(check);
        check.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
        long[] plinthCounts = {plinthListener.requests, plinthListener.headers, plinthListener.body};
        long[] jettyCounts = {jettyHandler.requests, jettyHandler.headers, jettyHandler.body};
        long[] nettyCounts = {netty.requests, netty.headers, netty.body};
        if (plinthCounts[0] != Corpus.SIZE || !java.util.Arrays.equals(plinthCounts, jettyCounts)
                || !java.util.Arrays.equals(plinthCounts, nettyCounts)) {
            throw new IllegalStateException("requests, headers, body bytes differ: plinth "
                    + java.util.Arrays.toString(plinthCounts) + ", jetty " + java.util.Arrays.toString(jettyCounts)
                    + ", netty " + java.util.Arrays.toString(nettyCounts));
        }
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.SIZE)
    public void plinth(Blackhole bh) throws HttpParseException {
        plinthListener.bh = bh;
        for (ByteBuffer b : buffers) {
            b.clear();
            while (plinth.parse(b)) {
                if (plinth.isComplete()) {
                    plinth.reset();
                    if (!b.hasRemaining()) {
                        break;
                    }
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.SIZE)
    public void jetty(Blackhole bh) {
        jettyHandler.bh = bh;
        for (ByteBuffer b : buffers) {
            b.clear();
            while (true) {
                boolean handle = jetty.parseNext(b);
                if (jetty.isComplete()) {
                    jetty.reset();
                    if (!b.hasRemaining()) {
                        break;
                    }
                } else if (!handle && !b.hasRemaining()) {
                    break;
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.SIZE)
    public void netty(Blackhole bh) throws Exception {
        netty.bh = bh;
        for (ByteBuf b : nettyBuffers) {
            b.readerIndex(0);
            netty.decodeAll(b, nettyOut);
        }
    }

    /** What a server keeps of a request, for Plinth. */
    static final class PlinthListener implements RequestListener {
        Blackhole bh;
        long requests;
        long headers;
        long body;

        @Override
        public void requestLine(String method, String target, int minorVersion) {
            bh.consume(method);
            bh.consume(target);
            bh.consume(minorVersion);
        }

        @Override
        public void header(String name, String value) {
            headers++;
            bh.consume(name);
            bh.consume(value);
        }

        @Override
        public boolean headersComplete(long contentLength) {
            bh.consume(contentLength);
            return false;
        }

        @Override
        public boolean content(ByteBuffer part) {
            body += part.remaining();
            bh.consume(part);
            return false;
        }

        @Override
        public void trailer(String name, String value) {
            bh.consume(name);
            bh.consume(value);
        }

        @Override
        public boolean messageComplete() {
            requests++;
            return true;
        }
    }

    /** The same for Jetty. */
    static final class JettyHandler implements HttpParser.RequestHandler {
        Blackhole bh;
        long requests;
        long headers;
        long body;

        @Override
        public void startRequest(String method, String uri, HttpVersion version) {
            bh.consume(method);
            bh.consume(uri);
            bh.consume(version);
        }

        @Override
        public void parsedHeader(HttpField field) {
            headers++;
            bh.consume(field.getName());
            bh.consume(field.getValue());
        }

        @Override
        public void parsedTrailer(HttpField field) {
            bh.consume(field.getName());
            bh.consume(field.getValue());
        }

        @Override
        public boolean headerComplete() {
            return false;
        }

        @Override
        public boolean content(ByteBuffer content) {
            body += content.remaining();
            bh.consume(content);
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            requests++;
            return true;
        }

        @Override
        public void earlyEOF() {
            throw new IllegalStateException("early EOF");
        }

        @Override
        public void badMessage(HttpException failure) {
            throw new IllegalStateException("bad message", (Throwable) failure);
        }
    }

    /**
     * Netty's decoder driven directly (ByteToMessageDecoder's loop without a pipeline, its best case): decode until
     * no progress, then take the messages out and release them.
     */
    static final class NettyDecoder extends HttpRequestDecoder {
        Blackhole bh;
        long requests;
        long headers;
        long body;

        void decodeAll(ByteBuf in, List<Object> out) throws Exception {
            while (in.isReadable()) {
                int before = in.readerIndex();
                int size = out.size();
                decode(null, in, out);
                if (out.size() == size && in.readerIndex() == before) {
                    break;
                }
            }
            for (int i = 0; i < out.size(); i++) {
                Object message = out.get(i);
                if (message instanceof HttpRequest) {
                    HttpRequest request = (HttpRequest) message;
                    if (request.decoderResult().isFailure()) {
                        throw new IllegalStateException(request.decoderResult().cause());
                    }
                    bh.consume(request.method());
                    bh.consume(request.uri());
                    bh.consume(request.protocolVersion());
                    consume(request.headers(), true);
                }
                if (message instanceof HttpContent) {
                    HttpContent content = (HttpContent) message;
                    body += content.content().readableBytes();
                    bh.consume(content.content());
                    if (message instanceof LastHttpContent) {
                        consume(((LastHttpContent) message).trailingHeaders(), false);
                        requests++;
                    }
                }
                ReferenceCountUtil.release(message);
            }
            out.clear();
        }

        private void consume(HttpHeaders fields, boolean count) {
            Iterator<Map.Entry<CharSequence, CharSequence>> it = fields.iteratorCharSequence();
            while (it.hasNext()) {
                Map.Entry<CharSequence, CharSequence> field = it.next();
                if (count) {
                    headers++;
                }
                bh.consume(field.getKey());
                bh.consume(field.getValue());
            }
        }
    }
}
