package dev.plinth.handlers.statics;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code Accept-Encoding} (RFC 9110 §12.5.3) to choose between a file and its precompressed siblings.
 *
 * <p>A coding's weight is its own {@code q}, else that of {@code *}, else 0 (not acceptable); {@code q=0} forbids it;
 * {@code x-gzip} counts as {@code gzip} (§8.4.1.3). Without an Accept-Encoding field the file itself is served:
 * the client said nothing about what it can decode. A sibling is chosen when its weight is above 0 and not below
 * the weight the client gave {@code identity} explicitly (by name or through {@code *}); between equal weights
 * {@code br} wins over {@code gzip}, which wins over the uncompressed file.
 */
final class ContentCodings {

    /** A precompressed sibling's coding, with the file-name suffix and ETag suffix it goes by. */
    enum Coding {
        /** Brotli, {@code name.br}. */
        BR("br", ".br"),
        /** gzip, {@code name.gz}. */
        GZIP("gzip", ".gz");

        private final String token;
        private final String suffix;

        Coding(String token, String suffix) {
            this.token = token;
            this.suffix = suffix;
        }

        /** @return the content-coding token, for {@code Content-Encoding} */
        String token() {
            return token;
        }

        /** @return the suffix of the sibling's file name */
        String suffix() {
            return suffix;
        }

        /** @return the suffix added inside the representation's ETag quotes, such as {@code -br} */
        String tagSuffix() {
            return "-" + suffix.substring(1);
        }
    }

    /** Weights in thousandths, so that {@code q=0.001} stays above 0. */
    private final Map<String, Integer> weights;

    private ContentCodings(Map<String, Integer> weights) {
        this.weights = weights;
    }

    /**
     * @param values the Accept-Encoding field's values, one per occurrence; empty if absent
     * @return the client's preferences
     */
    static ContentCodings parse(List<String> values) {
        Map<String, Integer> weights = new HashMap<>();
        for (String value : values) {
            for (String element : value.split(",")) {
                String[] params = element.split(";");
                String coding = params[0].strip().toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) {
                    continue;
                }
                int weight = 1000;
                for (int i = 1; i < params.length; i++) {
                    String param = params[i].strip();
                    if (param.length() > 2
                            && (param.charAt(0) == 'q' || param.charAt(0) == 'Q')
                            && param.charAt(1) == '=') {
                        weight = qvalue(param.substring(2));
                    }
                }
                if (weight >= 0) {
                    weights.merge(coding.equals("x-gzip") ? "gzip" : coding, weight, Math::max);
                }
            }
        }
        return new ContentCodings(values.isEmpty() ? null : weights);
    }

    /**
     * @param available the codings of the siblings that exist, in order of preference when weights are equal
     * @return the coding to serve, or {@code null} for the file itself
     */
    Coding choose(List<Coding> available) {
        if (weights == null) {
            return null;
        }
        Integer identity = weights.getOrDefault("identity", weights.get("*"));
        Coding best = null;
        int bestWeight = identity == null ? 1 : Math.max(1, identity);
        for (Coding coding : available) {
            int weight = weights.getOrDefault(coding.token(), weights.getOrDefault("*", 0));
            if (best == null ? weight >= bestWeight : weight > bestWeight) {
                best = coding;
                bestWeight = weight;
            }
        }
        return best;
    }

    /** @return a qvalue (§12.4.2) in thousandths, or -1 if malformed (the element is then ignored) */
    private static int qvalue(String text) {
        String q = text.strip();
        if (q.isEmpty()
                || q.length() > 5
                || (q.charAt(0) != '0' && q.charAt(0) != '1')
                || q.length() > 1 && q.charAt(1) != '.') {
            return -1;
        }
        int value = (q.charAt(0) - '0') * 1000;
        int scale = 100;
        for (int i = 2; i < q.length(); i++, scale /= 10) {
            char c = q.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value += (c - '0') * scale;
        }
        return value > 1000 ? -1 : value;
    }
}
