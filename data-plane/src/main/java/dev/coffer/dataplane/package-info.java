/**
 * A data-plane host's Dropwizard application and its configuration file: the composition root that
 * builds every other data-plane object by hand.
 */
package dev.coffer.dataplane;
