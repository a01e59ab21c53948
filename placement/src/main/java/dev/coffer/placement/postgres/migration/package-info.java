/**
 * Base store migrations that need Java: the seeding of its log with the codec of the log module.
 */
package dev.coffer.placement.postgres.migration;
