package dev.plinth.handlers.statics;

import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.HttpDates;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates conditional request fields against a representation's validators, in exactly the order of RFC 9110
 * §13.2.2. The caller applies this only when the response without conditions would be 2xx (§13.2.1).
 */
final class Preconditions {

    /** What the preconditions decide. */
    enum Outcome {
        /** Go on: serve the representation, ranges included. */
        PROCEED,
        /** 304 Not Modified: a {@code GET} or {@code HEAD} whose cached copy is current. */
        NOT_MODIFIED,
        /** 412 Precondition Failed. */
        FAILED
    }

    /**
     * The validators of the selected representation.
     *
     * @param etag its strong entity tag, with quotes
     * @param lastModified its modification time, in whole seconds as sent in {@code Last-Modified}
     * @param lastModifiedIsStrong whether {@code Last-Modified} may serve as a strong validator (§8.8.2.2)
     */
    record Validators(String etag, Instant lastModified, boolean lastModifiedIsStrong) {}

    private Preconditions() {}

    /**
     * @param method the request method
     * @param headers the request's fields
     * @param current the representation's validators
     * @return the outcome
     */
    static Outcome evaluate(String method, Headers headers, Validators current) {
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        // step 1: If-Match, strong comparison (§13.1.1)
        Optional<EntityTags.Condition> ifMatch = EntityTags.parseList(headers.all("If-Match"));
        if (ifMatch.isPresent()) {
            if (!matches(ifMatch.get(), current.etag(), true)) {
                return Outcome.FAILED;
            }
        } else {
            // step 2: If-Unmodified-Since, only without If-Match (§13.1.4)
            Optional<Instant> since = singleDate(headers.all("If-Unmodified-Since"));
            if (since.isPresent() && current.lastModified().isAfter(since.get())) {
                return Outcome.FAILED;
            }
        }
        // step 3: If-None-Match, weak comparison (§13.1.2)
        Optional<EntityTags.Condition> ifNoneMatch = EntityTags.parseList(headers.all("If-None-Match"));
        if (ifNoneMatch.isPresent()) {
            if (matches(ifNoneMatch.get(), current.etag(), false)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.FAILED;
            }
        } else if (getOrHead) {
            // step 4: If-Modified-Since, only for GET and HEAD, only without If-None-Match (§13.1.3)
            Optional<Instant> since = singleDate(headers.all("If-Modified-Since"));
            if (since.isPresent() && !current.lastModified().isAfter(since.get())) {
                return Outcome.NOT_MODIFIED;
            }
        }
        // step 5 (If-Range) belongs to range handling
        return Outcome.PROCEED;
    }

    /**
     * If-Range (§13.1.5): whether a Range header may be honoured. Only asked when the request has a Range.
     *
     * @param ifRange the field's values
     * @param current the representation's validators
     * @return true if the field is absent, or its validator matches the current one
     */
    static boolean rangeApplies(List<String> ifRange, Validators current) {
        if (ifRange.isEmpty()) {
            return true;
        }
        if (ifRange.size() > 1) {
            return false;
        }
        String value = ifRange.get(0).trim();
        if (EntityTags.isTag(value)) {
            return EntityTags.strongMatch(value, current.etag());
        }
        // an HTTP-date matches only exactly, and only if Last-Modified is strong (§13.1.5, §8.8.2.2)
        return current.lastModifiedIsStrong()
                && HttpDates.parse(value).map(current.lastModified()::equals).orElse(false);
    }

    private static boolean matches(EntityTags.Condition condition, String etag, boolean strong) {
        if (condition.any()) {
            return true; // the representation exists, or we would not be here
        }
        for (String tag : condition.tags()) {
            if (strong ? EntityTags.strongMatch(tag, etag) : EntityTags.weakMatch(tag, etag)) {
                return true;
            }
        }
        return false;
    }

    /** @return the date of a field that occurs once and holds a valid HTTP-date; otherwise the field is ignored */
    private static Optional<Instant> singleDate(List<String> values) {
        return values.size() == 1 ? HttpDates.parse(values.get(0)) : Optional.empty();
    }
}
