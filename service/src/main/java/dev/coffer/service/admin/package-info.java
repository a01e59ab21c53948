/**
 * The servers' admin port: which of Dropwizard's admin endpoints are reachable, and which need the
 * admin token.
 */
package dev.coffer.service.admin;
