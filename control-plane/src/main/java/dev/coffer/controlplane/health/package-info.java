/**
 * Health checks of the control plane: one per database, and whether every host of each cell reports
 * its applied position in time.
 */
package dev.coffer.controlplane.health;
