/**
 * Real PostgreSQL for integration tests: a JUnit 5 extension giving each test a fresh database
 * migrated by the caller's schema, and the servers, database names and data sources beneath it.
 */
package dev.coffer.testkit.database;
