/**
 * The key commands operators run against the control plane's configuration file ({@code keys-init},
 * {@code root-rotate}, {@code recovery-init} ...), and the stores such a command opens.
 */
package dev.coffer.controlplane.cli;
