package bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Netty 4.2 on the NIO transport: {@link HttpServerCodec}, then one handler that answers {@code /plaintext} with
 * 13 bytes from a shared unreleasable buffer, and a file of the docroot with a {@link DefaultFileRegion}
 * (zero-copy {@code transferTo}). Keep-alive unless the client asks to close; writes flushed once per read batch
 * ({@code channelReadComplete}), as Netty's own benchmarks do. One acceptor thread, the default number of event
 * loops (2 x cores).
 *
 * <p>With key material ({@link Tls}) it speaks HTTPS: an {@link SslContext} built from the PEM files (TLS 1.3 and
 * 1.2, Netty's default cipher suites), its {@code SslHandler} first in the pipeline. The provider is the JDK's
 * ({@link SslProvider#JDK}) unless {@code -Dbench.sslProvider=OPENSSL} (BoringSSL from netty-tcnative). A file region
 * cannot pass through TLS, so files go as Netty's own static-file example sends them over TLS:
 * {@link HttpChunkedInput} over the file, written by a {@link ChunkedWriteHandler}; in 64 KiB chunks, not the
 * example's 8 KiB, with which Netty spent about twice the CPU per MiB here (6.7-9.3 against 3.9-5.2 ms).
 *
 * <p>Usage: {@code NettyServer PORT DOCROOT [CERT KEY]}; listens on 127.0.0.1.
 */
public final class NettyServer {

    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(13).writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII))).asReadOnly();

    /** The bytes of a file read and written at once over TLS. */
    private static final int FILE_CHUNK = 64 * 1024;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path docroot = Path.of(args[1]).toAbsolutePath().normalize();
        Tls tls = Tls.fromArgs(args);
        SslContext ssl = tls == null ? null : sslContext(tls);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (ssl == null) {
                                ch.pipeline().addLast(new HttpServerCodec(), new Answer(docroot, false));
                            } else {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new HttpServerCodec(),
                                        new ChunkedWriteHandler(), new Answer(docroot, true));
                            }
                        }
                    });
            b.bind("127.0.0.1", port).sync();
            System.out.println("netty listening on 127.0.0.1:" + port + " docroot " + docroot + (tls == null ? ""
                    : ", " + tls + ", " + ssl.getClass().getSimpleName()
                    + (ssl instanceof OpenSslContext ? " (" + OpenSsl.versionString() + ")" : "")));
            b.config().group().terminationFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }

    private static SslContext sslContext(Tls tls) throws Exception {
        SslProvider provider = SslProvider.valueOf(System.getProperty("bench.sslProvider", "JDK"));
        if (provider != SslProvider.JDK && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("netty-tcnative is not available", OpenSsl.unavailabilityCause());
        }
        return SslContextBuilder.forServer(tls.certificate.toFile(), tls.privateKey.toFile())
                .sslProvider(provider)
                .protocols(Tls.PROTOCOLS)
                .build();
    }

    static final class Answer extends ChannelInboundHandlerAdapter {
        private final Path docroot;
        private final boolean secure;

        Answer(Path docroot, boolean secure) {
            this.docroot = docroot;
            this.secure = secure;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
            try {
                if (msg instanceof HttpRequest request) {
                    answer(ctx, request);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx, HttpRequest request) throws IOException {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String uri = request.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            if (path.equals("/plaintext")) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        HELLO.duplicate());
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, 13);
                closeUnless(keepAlive, response);
                finish(ctx, ctx.write(response), keepAlive);
                return;
            }
            Path file = docroot.resolve(path.substring(1)).normalize();
            if (!request.method().equals(HttpMethod.GET) || !file.startsWith(docroot) || !Files.isRegularFile(file)) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                closeUnless(keepAlive, response);
                finish(ctx, ctx.write(response), keepAlive);
                return;
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            long length = channel.size();
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                    .set(HttpHeaderNames.CONTENT_LENGTH, length);
            closeUnless(keepAlive, response);
            ctx.write(response);
            if (secure) { // the chunked input ends with the last content
                finish(ctx, ctx.write(new HttpChunkedInput(new ChunkedNioFile(channel, 0, length, FILE_CHUNK))), keepAlive);
                return;
            }
            ctx.write(new DefaultFileRegion(channel, 0, length));
            finish(ctx, ctx.write(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
        }

        private static void closeUnless(boolean keepAlive, HttpResponse response) {
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }

        private static void finish(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture last, boolean keepAlive) {
            if (!keepAlive) {
                ctx.flush();
                last.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
