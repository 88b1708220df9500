package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A listing's link encoding at the edges of the unreserved characters (RFC 3986 §2.3). */
class ListingTest {

    @Test
    void unreservedCharactersStayAndTheirNeighboursAreEncoded() {
        assertEquals("azAZ09-._~", Listing.url("azAZ09-._~"));
        assertEquals("%60%7B%40%5B%2F%3A%20%25", Listing.url("`{@[/: %"));
    }
}
