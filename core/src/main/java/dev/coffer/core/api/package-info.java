/**
 * Coffer's wire contract, shared by servers and clients: request and response bodies, header names
 * and query parameter parsing; nothing here but Jackson annotations.
 */
package dev.coffer.core.api;
