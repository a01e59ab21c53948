/** Connection pools for Coffer's servers, built one way from their configuration. */
package dev.coffer.service.db;
