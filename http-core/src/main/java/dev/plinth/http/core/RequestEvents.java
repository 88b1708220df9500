package dev.plinth.http.core;

import dev.plinth.http.parser.RequestListener;
import java.nio.ByteBuffer;

/**
 * The parser's listener for one connection: builds the head being parsed, starts the connection's exchange when
 * the head is complete, and passes body parts to the body's subscriber, or drops them when nobody reads them.
 */
final class RequestEvents extends HeadInProgress implements RequestListener {

    private final HttpConnection connection;

    RequestEvents(HttpConnection connection) {
        this.connection = connection;
    }

    @Override
    public void requestLine(String method, String target, int minorVersion) {
        begin(method, target, minorVersion);
    }

    @Override
    public void header(String name, String value) {
        field(name, value);
    }

    @Override
    public boolean headersComplete(long contentLength) {
        CoreServices services = connection.services();
        Exchange created = new Exchange(connection, services.workers(), expectsContinue(contentLength));
        complete(created, connection.endpoint(), contentLength, services.workers());
        connection.headParsed(created);
        return contentLength != 0;
    }

    @Override
    public boolean content(ByteBuffer part) {
        Exchange current = connection.exchange();
        return current.draining() ? connection.drain(current, part) : current.body.deliver(part);
    }

    @Override
    public boolean messageComplete() {
        Exchange current = connection.exchange();
        current.requestComplete = true;
        current.body.complete();
        return true;
    }
}
