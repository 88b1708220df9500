package dev.plinth.handlers.stream.channels;

import java.util.List;
import java.util.Locale;

/**
 * Whether a request's {@code Accept} (RFC 9110 §12.5.1) allows a media type, leniently: no {@code Accept}, or one with
 * no media range this can read, allows everything; otherwise the most specific range that matches the type decides
 * ({@code type/subtype} over {@code type/*} over {@code *}{@code /*}), and a weight of 0 excludes it.
 */
final class Accepts {

    private Accepts() {}

    /**
     * @param accept the request's {@code Accept} values, maybe none
     * @param type the media type's type, lower case, such as {@code text}
     * @param subtype its subtype, lower case, such as {@code event-stream}
     * @return whether the client accepts it
     */
    static boolean allows(List<String> accept, String type, String subtype) {
        boolean anyRange = false;
        int bestSpecificity = -1;
        boolean bestAllows = false;
        for (String value : accept) {
            for (String element : value.split(",")) {
                String[] params = element.split(";");
                String range = params[0].strip().toLowerCase(Locale.ROOT);
                int slash = range.indexOf('/');
                if (slash <= 0 || slash == range.length() - 1) {
                    continue;
                }
                anyRange = true;
                String t = range.substring(0, slash);
                String s = range.substring(slash + 1);
                int specificity;
                if (t.equals(type) && s.equals(subtype)) {
                    specificity = 2;
                } else if (t.equals(type) && s.equals("*")) {
                    specificity = 1;
                } else if (t.equals("*") && s.equals("*")) {
                    specificity = 0;
                } else {
                    continue;
                }
                if (specificity > bestSpecificity) {
                    bestSpecificity = specificity;
                    bestAllows = weight(params) > 0;
                }
            }
        }
        return !anyRange || bestAllows;
    }

    /** @return the {@code q} parameter's value, 1 when absent or unreadable */
    private static double weight(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String param = params[i].strip();
            if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                try {
                    return Double.parseDouble(param.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }
}
