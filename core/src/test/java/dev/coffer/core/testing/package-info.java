/**
 * Fixtures of core's own property tests: generators of plain values, and the check that a property
 * is falsified by a deliberately broken variant.
 *
 * <p>They stay here rather than in the test kit because the kit depends on core, so core's tests
 * cannot use it, and core's tests are nearly all their users (see dev.coffer.testkit).
 */
package dev.coffer.core.testing;
