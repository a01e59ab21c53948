package dev.coffer.placement.postgres;

import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyAuditRecord;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.storage.KeyAuditLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The key audit trail in the base store's {@code key_audit} table, which triggers keep append-only.
 * The schema is migrated with the rest of the base store by {@link
 * PostgresVaultPlacementStore#migrate}.
 */
public final class PostgresKeyAuditLog implements KeyAuditLog {
  private final Jdbi jdbi;

  public PostgresKeyAuditLog(DataSource dataSource) {
    this.jdbi = Jdbi.create(dataSource);
  }

  @Override
  public KeyAuditRecord append(KeyAuditEntry entry) {
    try {
      return jdbi.withHandle(
          h ->
              h.createQuery(
                      "INSERT INTO key_audit (actor, operation, subject, outcome, detail)"
                          + " VALUES (:actor, :operation, :subject, :outcome, :detail)"
                          + " RETURNING seq, recorded_at, actor, operation, subject, outcome,"
                          + " detail")
                  .bind("actor", entry.actor())
                  .bind("operation", entry.operation().name())
                  .bind("subject", entry.subject())
                  .bind("outcome", entry.outcome().name())
                  .bind("detail", entry.detail())
                  .map((rs, ctx) -> record(rs))
                  .one());
    } catch (JdbiException e) {
      throw unavailable(e);
    }
  }

  @Override
  public List<KeyAuditRecord> list(long afterSequence, int limit) {
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIST_LIMIT);
    }
    try {
      return jdbi.withHandle(
          h ->
              h.createQuery(
                      "SELECT seq, recorded_at, actor, operation, subject, outcome, detail"
                          + " FROM key_audit WHERE seq > :after ORDER BY seq LIMIT :limit")
                  .bind("after", afterSequence)
                  .bind("limit", limit)
                  .map((rs, ctx) -> record(rs))
                  .list());
    } catch (JdbiException e) {
      throw unavailable(e);
    }
  }

  private static KeyAuditRecord record(ResultSet rs) throws SQLException {
    return new KeyAuditRecord(
        rs.getLong("seq"),
        rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
        new KeyAuditEntry(
            rs.getString("actor"),
            KeyOperation.valueOf(rs.getString("operation")),
            rs.getString("subject"),
            KeyAuditEntry.Outcome.valueOf(rs.getString("outcome")),
            rs.getString("detail")));
  }

  private static CofferException unavailable(JdbiException e) {
    return new CofferException(
        ErrorCode.STORE_UNAVAILABLE,
        "The base store is unavailable; the key audit trail could not be reached. Retry later.",
        e);
  }
}
