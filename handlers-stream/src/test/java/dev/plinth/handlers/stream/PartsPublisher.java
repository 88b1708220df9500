package dev.plinth.handlers.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Publishes fixed parts, each only against demand, on the requesting thread, and records every request made to it:
 * a stand-in for a request body read from a socket only as fast as it is asked for.
 */
final class PartsPublisher implements Flow.Publisher<ByteBuffer> {

    private final List<String> parts;
    final List<Long> requests = Collections.synchronizedList(new ArrayList<>());
    volatile int emitted;

    private PartsPublisher(List<String> parts) {
        this.parts = parts;
    }

    static PartsPublisher of(String... parts) {
        return new PartsPublisher(List.of(parts));
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        new Flow.Subscription() {
            private long demand;
            private boolean emitting = true; // nothing before onSubscribe returns
            private boolean done;

            synchronized void start() {
                subscriber.onSubscribe(this);
                emitting = false;
                emit();
            }

            @Override
            public synchronized void request(long n) {
                requests.add(n);
                demand += n;
                emit();
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }

            /** Emits what is demanded, unless already emitting further up this thread's stack (no recursion). */
            private void emit() {
                if (emitting) {
                    return;
                }
                emitting = true;
                while (!done && demand > 0 && emitted < parts.size()) {
                    demand--;
                    subscriber.onNext(ByteBuffer.wrap(parts.get(emitted++).getBytes(StandardCharsets.UTF_8)));
                }
                if (!done && emitted == parts.size()) {
                    done = true;
                    subscriber.onComplete();
                }
                emitting = false;
            }
        }.start();
    }
}
