package dev.plinth.http.core.compress;

import java.util.List;

/**
 * What a request's {@code Accept-Encoding} (RFC 9110 §12.5.3) says about gzip and identity, the two codings the
 * server can produce on the fly.
 *
 * <p>Three cases, told apart by {@link #of}'s argument:
 * <ul>
 *   <li><b>absent</b> (an empty list): by the RFC any coding would be acceptable, but a client that sends no field
 *       (curl, scripts, probes) rarely expects a compressed answer, so servers conventionally send identity; this
 *       class answers {@code acceptsGzip() == false}, {@code identityAcceptable() == true}, {@code present() ==
 *       false};</li>
 *   <li><b>empty value</b> (present, but no element): "no content coding is acceptable other than identity";</li>
 *   <li><b>a list</b>: codings with optional weights {@code ;q=} (§12.4.2), {@code *} standing for every coding not
 *       listed, {@code x-gzip} the same as {@code gzip} (§8.4.1.3). Several fields combine as one list.</li>
 * </ul>
 * A malformed element (not a token, a parameter other than one {@code q}, a bad qvalue) is ignored rather than
 * failing the request. A coding listed more than once counts with its lowest weight, so a refusal ({@code q=0}) is
 * never overridden by a repetition.
 */
public final class AcceptEncoding {

    /** Not listed. Weights are in thousandths, so that {@code q=0.001} stays above 0. */
    private static final int UNLISTED = -1;

    private static final int FULL = 1000;

    private static final AcceptEncoding ABSENT = new AcceptEncoding(false, UNLISTED, UNLISTED, UNLISTED);

    private final boolean present;
    private final int gzip;
    private final int identity;
    private final int any;

    private AcceptEncoding(boolean present, int gzip, int identity, int any) {
        this.present = present;
        this.gzip = gzip;
        this.identity = identity;
        this.any = any;
    }

    /**
     * @param values the request's {@code Accept-Encoding} values, one per occurrence of the field, in order; an empty
     *     list when the field is absent
     * @return what they say
     */
    public static AcceptEncoding of(List<String> values) {
        if (values.isEmpty()) {
            return ABSENT;
        }
        int[] weights = {UNLISTED, UNLISTED, UNLISTED}; // gzip, identity, *
        for (String value : values) {
            for (String element : value.split(",", -1)) {
                add(element, weights);
            }
        }
        return new AcceptEncoding(true, weights[0], weights[1], weights[2]);
    }

    /** @return whether the request carried the field at all */
    public boolean present() {
        return present;
    }

    /**
     * @return whether gzip may be sent: listed (as {@code gzip} or {@code x-gzip}) with a weight above 0, or not
     *     listed while {@code *} is, with a weight above 0; never when the field is absent
     */
    public boolean acceptsGzip() {
        return weightOfGzip() > 0;
    }

    /**
     * @return whether an uncompressed answer is acceptable: true unless {@code identity;q=0}, or {@code *;q=0} with
     *     identity not listed (§12.5.3); a server may then still send identity, or 406
     */
    public boolean identityAcceptable() {
        int weight = identity != UNLISTED ? identity : any;
        return weight != 0;
    }

    /**
     * The decision the server takes: gzip when it is acceptable and weighs at least as much as identity. Identity's
     * weight is its own, else that of {@code *}, else it ranks below any acceptable coding (the client named codings
     * and not identity).
     *
     * @return whether to compress
     */
    public boolean gzipPreferred() {
        int weight = weightOfGzip();
        int identityWeight = identity != UNLISTED ? identity : any;
        return weight > 0 && weight >= identityWeight;
    }

    private int weightOfGzip() {
        return gzip != UNLISTED ? gzip : any;
    }

    /** Parses one list element into {@code weights}; ignores it if malformed or about a coding not of interest. */
    private static void add(String element, int[] weights) {
        int semicolon = element.indexOf(';');
        String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).strip();
        if (coding.isEmpty() || !isToken(coding)) {
            return; // an empty element is allowed (§5.6.1.2); a malformed one is dropped
        }
        int weight = FULL;
        if (semicolon >= 0) {
            weight = weight(element.substring(semicolon + 1));
            if (weight == UNLISTED) {
                return;
            }
        }
        int slot;
        if (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip")) {
            slot = 0;
        } else if (coding.equalsIgnoreCase("identity")) {
            slot = 1;
        } else if (coding.equals("*")) {
            slot = 2;
        } else {
            return;
        }
        weights[slot] = weights[slot] == UNLISTED ? weight : Math.min(weights[slot], weight);
    }

    /**
     * @param parameters what follows the coding's first {@code ;}
     * @return the weight {@code q=qvalue} in thousandths, or {@link #UNLISTED} if it is anything else
     */
    private static int weight(String parameters) {
        int equals = parameters.indexOf('=');
        if (equals < 0 || !parameters.substring(0, equals).strip().equalsIgnoreCase("q")) {
            return UNLISTED;
        }
        return qvalue(parameters.substring(equals + 1).strip());
    }

    /**
     * @param text {@code "0" ["." 0*3DIGIT]} or {@code "1" ["." 0*3"0"]} (§12.4.2)
     * @return its value in thousandths, or {@link #UNLISTED} if malformed
     */
    static int qvalue(String text) {
        int length = text.length();
        if (length == 0 || length > 5 || length > 1 && text.charAt(1) != '.') {
            return UNLISTED;
        }
        char units = text.charAt(0);
        if (units != '0' && units != '1') {
            return UNLISTED;
        }
        int thousandths = 0;
        for (int i = 2, scale = 100; i < length; i++, scale /= 10) {
            char digit = text.charAt(i);
            if (digit < '0' || digit > '9') {
                return UNLISTED;
            }
            thousandths += (digit - '0') * scale;
        }
        if (units == '1') {
            return thousandths == 0 ? FULL : UNLISTED;
        }
        return thousandths;
    }

    /** @return whether {@code text} is an RFC 9110 §5.6.2 token ({@code *} is one) */
    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return present ? "AcceptEncoding[gzip=" + gzip + ", identity=" + identity + ", *=" + any + "]" : "absent";
    }
}
