/**
 * Configuration blocks every Coffer server shares: authentication, the root of trust and its
 * providers, secrets given inline or by file, and environment variable substitution.
 */
package dev.coffer.service.config;
