/** Health checks of the control plane's dependencies, one per database. */
package dev.coffer.controlplane.health;
