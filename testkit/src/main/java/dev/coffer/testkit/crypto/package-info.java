/**
 * Vault keys for tests that store and replicate them but never unwrap them: the stored form of real
 * ones, made through core's public wrapping, with payloads of the test's choosing.
 */
package dev.coffer.testkit.crypto;
