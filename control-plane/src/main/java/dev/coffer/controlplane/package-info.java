/**
 * The control plane's Dropwizard application and its configuration file: the composition root that
 * builds every other control-plane object by hand.
 */
package dev.coffer.controlplane;
