package dev.plinth.handlers.upload;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One upload in progress: subscribes to the request body and hands each part to its {@link Sink} on its
 * {@link Lane}, asking for the next part only once the previous one is written. The server reads the socket only as
 * fast as parts are asked for, so a slow disk slows the client and the handler holds at most one part per upload.
 *
 * <p>Threads: the server calls the subscriber methods one at a time on its workers; every file operation, and every
 * decision about the outcome, runs on the lane. The upload settles once, on the lane: stored (every file
 * published, 201 or 204) or refused (every temporary file deleted, an error status). Its answer completes then;
 * a refusal cancels the body first, so the server reads no more of it.
 */
final class Upload implements Flow.Subscriber<ByteBuffer> {

    private static final System.Logger LOG = System.getLogger(Upload.class.getName());

    private final UploadHandler handler;
    private final Sink sink;
    private final Lane lane;
    private final long maxBytes;
    private final CompletableFuture<Response> answer = new CompletableFuture<>();

    /** Set by onSubscribe; read on the lane, after the lane's queue handed it over. */
    private Flow.Subscription subscription;
    /** Body bytes received; touched by the subscriber methods only. */
    private long received;
    /** Body bytes written; touched on the lane only. */
    private long written;
    /** Whether the upload is stored or refused; touched on the lane only. */
    private boolean settled;

    /** A step run on the lane. */
    @FunctionalInterface
    private interface Step {
        void run() throws Refusal, IOException;
    }

    /**
     * @param handler the handler, told when the upload settles
     * @param sink where the body goes
     * @param lane the upload's lane on the handler's I/O threads
     * @param maxBytes the most body bytes accepted
     */
    Upload(UploadHandler handler, Sink sink, Lane lane, long maxBytes) {
        this.handler = handler;
        this.sink = sink;
        this.lane = lane;
        this.maxBytes = maxBytes;
    }

    /** @return the answer, completed when the upload settles */
    CompletionStage<Response> answer() {
        return answer;
    }

    @Override
    public void onSubscribe(Flow.Subscription granted) {
        subscription = granted;
        lane.execute(() -> {
            if (settled) {
                granted.cancel(); // stopped before the body came: none of it is wanted
            }
        });
        onLane(() -> {
            sink.start();
            subscription.request(1); // the first request: now the server sends 100 Continue if the client waits
        });
    }

    @Override
    public void onNext(ByteBuffer part) {
        int size = part.remaining();
        received += size;
        if (received > maxBytes) {
            onLane(() -> {
                throw new Refusal(413, "the request body is larger than " + maxBytes + " bytes");
            });
            return;
        }
        handler.inFlight().add(size);
        lane.execute(() -> {
            try {
                if (!settled) {
                    sink.accept(part);
                }
            } catch (Refusal refusal) {
                refuse(refusal);
            } catch (IOException | RuntimeException e) {
                refuse(failed(e));
            } finally {
                handler.inFlight().remove(size);
            }
            if (!settled) {
                written += size;
                handler.events().written(written);
                subscription.request(1);
            }
        });
    }

    @Override
    public void onError(Throwable failure) {
        onLane(() -> {
            throw new Refusal(400, "the request body did not arrive whole: " + failure.getMessage());
        });
    }

    @Override
    public void onComplete() {
        onLane(() -> {
            Sink.Outcome outcome = sink.finish();
            settled = true;
            handler.settled(this);
            handler.events().stored(outcome.files());
            answer.complete(response(outcome));
        });
    }

    /** The handler is stopping: the upload is refused (503) and its files deleted, after any write in progress. */
    void stop() {
        onLane(() -> {
            throw new Refusal(503, "the upload service is stopping");
        });
    }

    /** Runs a step on the lane unless the upload is settled; a step that throws refuses the upload. */
    private void onLane(Step step) {
        lane.execute(() -> {
            if (settled) {
                return;
            }
            try {
                step.run();
            } catch (Refusal refusal) {
                refuse(refusal);
            } catch (IOException | RuntimeException e) {
                refuse(failed(e));
            }
        });
    }

    private Refusal failed(Exception e) {
        LOG.log(Level.WARNING, "upload to " + handler + " failed", e);
        return new Refusal(500, "the upload could not be stored");
    }

    /** Settles as refused: no more body, every temporary file deleted, the error answered. On the lane. */
    private void refuse(Refusal refusal) {
        if (settled) {
            return;
        }
        settled = true;
        if (subscription != null) {
            subscription.cancel(); // before the answer: the server then reads no more of the body for us
        }
        int deleted = sink.discard();
        handler.settled(this);
        handler.events().discarded(refusal.status(), refusal.getMessage(), deleted);
        answer.complete(Response.text(refusal.status(), refusal.getMessage() + "\n"));
    }

    private static Response response(Sink.Outcome outcome) {
        if (outcome.replaced()) {
            return Response.of(204);
        }
        byte[] receipt = Locations.receipt(outcome.files(), outcome.fields()).getBytes(StandardCharsets.UTF_8);
        return Response.of(201)
                .header("Location", outcome.files().get(0).location())
                .header("Content-Type", "application/json")
                .body(Body.of(receipt));
    }
}
