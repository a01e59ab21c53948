/** Health checks of a data-plane host: whether its replica is fit to answer reads. */
package dev.coffer.dataplane.health;
