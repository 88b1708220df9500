/** A handler bundle for benchmarks/server only: {@code /plaintext}, 13 bytes. Nothing is exported. */
package dev.plinth.bench.plaintext;
