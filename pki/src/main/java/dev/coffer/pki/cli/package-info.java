/**
 * The operator's PKI commands ({@link dev.coffer.pki.cli.PkiCommand}, run by {@code
 * bin/coffer-pki}): {@code ca create}, {@code cert issue}, {@code cert renew}, {@code cert show}.
 * Input errors exit with code 2 and one line; nothing printed contains key material.
 */
package dev.coffer.pki.cli;
