/**
 * The bare endpoint of the read-throughput comparison: Coffer's HTTP stack (Dropwizard, Jetty,
 * Jersey, Jackson and the shared conventions of {@code CofferHttp}) answering a constant secret,
 * with no store and no decryption behind it.
 */
package dev.coffer.benchmark.bare;
