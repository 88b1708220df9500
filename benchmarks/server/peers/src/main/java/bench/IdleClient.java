package bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive connections to a server; on each sends one {@code GET PATH} and reads the whole response
 * (Content-Length framing), then leaves the connection idle. Prints {@code HELD n} once all are idle, waits until
 * the file RELEASE exists (the measuring script creates it), then prints {@code OPEN n}: how many of the
 * connections the server still held open (a server that closed idle connections early would measure too low).
 *
 * <p>Usage: {@code IdleClient PORT N PATH RELEASE_FILE}; connects to 127.0.0.1. Needs {@code ulimit -n} above N.
 */
public final class IdleClient {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        String path = args[2];
        Path release = Path.of(args[3]);
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        List<SocketChannel> held = new ArrayList<>(n);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            SocketChannel channel = SocketChannel.open(address);
            channel.write(ByteBuffer.wrap(request));
            readResponse(channel, in);
            held.add(channel);
        }
        System.out.printf("HELD %d in %d ms%n", held.size(), (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        while (!Files.exists(release)) {
            Thread.sleep(100);
        }
        int open = 0;
        for (SocketChannel channel : held) {
            channel.configureBlocking(false);
            in.clear();
            try {
                if (channel.read(in) == 0) {
                    open++;
                }
            } catch (IOException e) {
                // reset by the server: closed
            }
        }
        System.out.println("OPEN " + open);
        for (SocketChannel channel : held) {
            channel.close();
        }
    }

    private static void readResponse(SocketChannel channel, ByteBuffer in) throws IOException {
        in.clear();
        int headEnd = -1;
        long contentLength = -1;
        while (true) {
            if (channel.read(in) < 0) {
                throw new IOException("closed before a whole response");
            }
            if (headEnd < 0) {
                String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0) {
                    continue;
                }
                headEnd = end + 4;
                for (String line : text.substring(0, end).split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                        contentLength = Long.parseLong(line.substring(colon + 1).trim());
                    }
                }
                if (contentLength < 0) {
                    throw new IOException("no Content-Length: " + text);
                }
            }
            if (in.position() - headEnd >= contentLength) {
                return;
            }
        }
    }
}
