/**
 * Shamir's secret sharing over GF(2^8) (the AES field), byte by byte: {@link
 * dev.coffer.core.crypto.sharing.SecretSharing} splits a secret into n shares of which any k
 * reconstruct it and k − 1 reveal nothing; {@link dev.coffer.core.crypto.sharing.SecretShare} is
 * one share in a self-checking text form, so a missing, repeated, foreign or damaged share is named
 * instead of producing a wrong secret.
 */
package dev.coffer.core.crypto.sharing;
