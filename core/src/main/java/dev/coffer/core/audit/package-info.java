/**
 * The key audit trail's records: which key operation who asked for, on which key, and how it ended;
 * never key material or a secret value.
 */
package dev.coffer.core.audit;
