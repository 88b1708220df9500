package dev.plinth.http.parser;

/** The protocol versions a request is processed as (RFC 9110 §2.5). */
public enum Version {
    /** HTTP/1.0. */
    HTTP_1_0,
    /** HTTP/1.1, and any higher minor version of HTTP/1. */
    HTTP_1_1
}
