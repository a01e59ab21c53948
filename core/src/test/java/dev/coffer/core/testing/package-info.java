/**
 * Fixtures the property tests of several modules share (through core's test jar): generators of
 * plain values, and the check that a property is falsified by a deliberately broken variant.
 */
package dev.coffer.core.testing;
