package dev.plinth.http.core;

import dev.plinth.http.core.compress.AcceptEncoding;
import dev.plinth.http.core.compress.ETags;
import dev.plinth.http.core.compress.GzipBody;
import dev.plinth.http.core.compress.RegionParts;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.MutableHeaders;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * Compresses a response on its way out, when its listener's {@link Compression} and the client's
 * {@code Accept-Encoding} say so. All the rules of when are in {@link Compression}; this class applies them to one
 * response, in place, before its framing is decided, so a compressed body of unknown length is chunked (or
 * close-delimited) like any other stream.
 *
 * <p>A small body held in memory is compressed whole, where the answer is framed, and keeps a
 * {@code Content-Length}; a larger one, a file and a stream are compressed part by part as the connection asks for
 * them, on the exchange's worker, each part flushed so that nothing a stream meant to send now is held back.
 */
final class ResponseCompression {

    /** Bodies in memory up to this size are compressed whole, at once; a few hundred microseconds at most. */
    static final int WHOLE_LIMIT = GzipBody.BUFFER_SIZE;

    private ResponseCompression() {}

    /**
     * @param request the request
     * @param response its answer, changed in place when it is compressed or only gets {@code Vary}
     * @param settings the listener's
     * @param mountAllows whether the handler's service allows it ({@code plinth.handler.compress})
     * @return the response to send: {@code response}, or a {@code 304} that replaces it when the client already has
     *     the compressed representation that would be sent
     */
    static Response apply(Request request, Response response, Compression settings, boolean mountAllows) {
        if (!settings.enabled() || !mountAllows || !eligible(response, settings)) {
            return response;
        }
        MutableHeaders fields = response.headers();
        addVary(fields);
        if (request.method().equals("HEAD")
                || !AcceptEncoding.of(request.headers().all("Accept-Encoding")).gzipPreferred()) {
            return response; // a HEAD answer keeps the identity fields: compressing a body never sent is waste
        }
        Optional<String> etag = fields.first("ETag");
        if (etag.isPresent()) {
            Optional<String> notMatch = request.headers().first("If-None-Match");
            if (response.status() == 200
                    && !(response.body() instanceof Body.Parts) // a stream is not let go of unread
                    && request.method().equals("GET")
                    && notMatch.isPresent()
                    && ETags.matchesEither(notMatch.get(), etag.get())) {
                // the handler knows only the identity tag; the client holds the gzip one (RFC 9110 §13.1.2)
                return notModified(response, ETags.forGzip(etag.get()));
            }
            String gzipTag = ETags.forGzip(etag.get());
            fields.remove("ETag");
            if (gzipTag != null) {
                fields.add("ETag", gzipTag);
            }
        }
        fields.remove("Accept-Ranges"); // ranges are of the identity representation only
        fields.add("Content-Encoding", "gzip");
        response.body(compressed(response.body(), settings.level()));
        return response;
    }

    /** @return whether the response may be compressed for a client that accepts it, the request aside */
    private static boolean eligible(Response response, Compression settings) {
        int status = response.status();
        if (status == 204 || status == 206 || status == 304 || !response.compressAllowed()) {
            return false;
        }
        long length = response.body().length();
        if (length >= 0 && length < settings.minBytes()) {
            return false;
        }
        // the type first: it rules out most answers (images, files of other types) in one remembered comparison
        Headers fields = response.headers();
        return settings.compressible().compressible(fields.first("Content-Type").orElse(null))
                && fields.first("Content-Encoding").isEmpty()
                && !fields.containsToken("Cache-Control", "no-transform")
                && fields.first("Content-Range").isEmpty();
    }

    /** Adds {@code Accept-Encoding} to {@code Vary}, keeping what the handler listed (RFC 9110 §12.5.5). */
    private static void addVary(MutableHeaders fields) {
        Optional<String> vary = fields.first("Vary");
        if (vary.isEmpty()) {
            fields.add("Vary", "Accept-Encoding");
        } else if (!fields.containsToken("Vary", "Accept-Encoding") && !fields.containsToken("Vary", "*")) {
            fields.set("Vary", vary.get() + ", Accept-Encoding");
        }
    }

    private static Body compressed(Body body, int level) {
        if (body instanceof Body.Bytes bytes && bytes.length() <= WHOLE_LIMIT) {
            return Body.of(GzipBody.gzip(bytes.content(), level));
        }
        Flow.Publisher<ByteBuffer> parts;
        if (body instanceof Body.Bytes bytes) {
            parts = RegionParts.of(bytes.content());
        } else if (body instanceof Body.FileRegion file) {
            parts = RegionParts.of(file.channel(), file.position(), file.length());
        } else {
            Body.Parts stream = (Body.Parts) body;
            GzipBody gzip = new GzipBody(stream.publisher(), level);
            if (stream.endless()) {
                return Body.endless(gzip);
            }
            return stream.openEnded() ? Body.openEnded(gzip) : Body.ofParts(gzip);
        }
        return Body.ofParts(new GzipBody(parts, level));
    }

    /**
     * @param response the handler's 200, let go of
     * @param gzipTag the tag the client matched, or null
     * @return a 304 with the fields a 200 would have (RFC 9110 §15.4.5), but no body and no content fields
     */
    private static Response notModified(Response response, String gzipTag) {
        Response answer = Response.of(304);
        Headers fields = response.headers();
        for (int i = 0, n = fields.size(); i < n; i++) {
            String name = fields.name(i);
            if (!name.equalsIgnoreCase("ETag")
                    && !name.equalsIgnoreCase("Content-Type")
                    && !name.equalsIgnoreCase("Accept-Ranges")) {
                answer.header(name, fields.value(i));
            }
        }
        if (gzipTag != null) {
            answer.header("ETag", gzipTag);
        }
        Exchange.release(response);
        return answer;
    }
}
