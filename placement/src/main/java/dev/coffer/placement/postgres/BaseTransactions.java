package dev.coffer.placement.postgres;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.placement.log.PlacementEvent;
import dev.coffer.placement.log.PlacementEventCodec;
import dev.coffer.replication.postgres.PostgresLogWriter;
import dev.coffer.replication.postgres.PostgresLogWriter.LogRecord;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * How the base store's classes change it: a change and its log entries in one transaction that
 * enters the log writers' gate, then takes an advisory lock on what it changes, both before
 * anything gives the transaction an id or draws a version; and failures as the base store's domain
 * errors.
 */
final class BaseTransactions {
  /**
   * First keys of the two-key advisory locks ("Cv" a vault, "Cc" a cell, "Cp" a control plane);
   * two-key locks cannot collide with the log writers' gate, a one-key lock.
   */
  static final int VAULT_LOCK = 0x4376;

  static final int CELL_LOCK = 0x4363;
  static final int CONTROL_PLANE_LOCK = 0x4370;

  private BaseTransactions() {}

  /**
   * Runs {@code work} serialised with every other change under ({@code lockClass}, {@code key}).
   * Row locks alone would not do: a change that has drawn its version and then waits on another's
   * row could commit a lower version after it, and replicas would keep the older one.
   */
  static <T> T locked(
      Jdbi jdbi, int lockClass, String key, HandleCallback<T, RuntimeException> work) {
    return call(
        () ->
            jdbi.inTransaction(
                h -> {
                  PostgresLogWriter.enterGate(h);
                  h.createQuery(
                          "SELECT pg_advisory_xact_lock(" + lockClass + ", hashtext(:key)) IS NULL")
                      .bind("key", key)
                      .mapTo(Boolean.class)
                      .one();
                  return work.withHandle(h);
                }));
  }

  /** Without a lock: for a change that touches one row once (a shard's registration). */
  static <T> T unlocked(Jdbi jdbi, HandleCallback<T, RuntimeException> work) {
    return call(
        () ->
            jdbi.inTransaction(
                h -> {
                  PostgresLogWriter.enterGate(h);
                  return work.withHandle(h);
                }));
  }

  static long nextVersion(Handle transaction) {
    return transaction.createQuery("SELECT nextval('placement_versions')").mapTo(Long.class).one();
  }

  /**
   * Appends {@code event} to the base store's log in {@code transaction}; {@code vault} fills the
   * log row's vault column (empty when the event is about no vault).
   */
  static <E extends PlacementEvent> E append(Handle transaction, String vault, E event) {
    PostgresLogWriter.append(
        transaction,
        new LogRecord(vault, event.entity(), event.version(), PlacementEventCodec.encode(event)));
    return event;
  }

  static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (JdbiException e) {
      throw unavailable(e);
    } catch (CofferException e) {
      // The log append's own failure names the store generically; say which one.
      throw e.code() == ErrorCode.STORE_UNAVAILABLE ? unavailable(e) : e;
    }
  }

  private static CofferException unavailable(Exception cause) {
    return new CofferException(
        ErrorCode.STORE_UNAVAILABLE,
        "The base store is unavailable; the request did not happen. Retry later.",
        cause);
  }
}
