/**
 * The base store in PostgreSQL: shards, vault placements and their log, and the key audit trail.
 * The only package of the base store that uses Jdbi.
 */
package dev.coffer.placement.postgres;
