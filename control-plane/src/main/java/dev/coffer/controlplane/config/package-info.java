/**
 * Blocks of the control plane's configuration file that are the control plane's alone: its shards
 * and how key rotation's background rewrap runs.
 */
package dev.coffer.controlplane.config;
