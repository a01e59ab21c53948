/**
 * Reading a secret from any {@link dev.coffer.core.storage.SecretReadAccessor}: the version asked
 * for, decrypted, or the precise not-found error; the one read path of both planes.
 */
package dev.coffer.core.read;
