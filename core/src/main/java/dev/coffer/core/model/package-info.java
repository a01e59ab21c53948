/**
 * Coffer's value types: validated identifiers and names, secret values, versions and stages, log
 * positions and replication tokens; plain Java with no library behind it.
 */
package dev.coffer.core.model;
