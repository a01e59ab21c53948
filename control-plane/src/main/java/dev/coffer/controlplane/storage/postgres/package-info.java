/** The control plane's base store in PostgreSQL: the only control-plane package that uses Jdbi. */
package dev.coffer.controlplane.storage.postgres;
