package dev.plinth.http.handler;

/** RFC 9110 §5.6.2 token characters. */
final class Tokens {

    private Tokens() {}

    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
