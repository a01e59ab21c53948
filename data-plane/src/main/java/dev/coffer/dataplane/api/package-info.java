/**
 * The data plane's JAX-RS resource: secret reads for applications, with the headers that say which
 * state answered.
 */
package dev.coffer.dataplane.api;
