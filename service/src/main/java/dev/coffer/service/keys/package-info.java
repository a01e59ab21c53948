/**
 * A server's key hierarchy built from its root of trust configuration, with root key providers that
 * are reopened when unreachable and reported as one health check.
 */
package dev.coffer.service.keys;
