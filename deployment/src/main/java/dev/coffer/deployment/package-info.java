/**
 * A whole Coffer deployment on one machine as real processes, its owner-only files and credentials,
 * and the dev command that runs it; the end-to-end tests run it too.
 */
package dev.coffer.deployment;
