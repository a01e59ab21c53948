package dev.coffer.placement.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyAuditRecord;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.testkit.database.DatabaseExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresKeyAuditLogIT {
  @RegisterExtension
  static final DatabaseExtension<BaseDatabase> BASE =
      new DatabaseExtension<>(BaseDatabase::migrate);

  private PostgresKeyAuditLog audit;

  @BeforeEach
  void auditLog() {
    audit = new PostgresKeyAuditLog(BASE.dataSource());
  }

  @Test
  void recordsWhoWhatWhenAndHowInOrder() {
    Instant before = Instant.now().minusSeconds(1);
    KeyAuditRecord first =
        audit.append(
            KeyAuditEntry.succeeded(
                "admin-token", KeyOperation.VAULT_KEY_CREATED, "vault/payments/key"));
    KeyAuditRecord second =
        audit.append(
            KeyAuditEntry.failed(
                "control-plane",
                KeyOperation.VAULT_KEY_CREATED,
                "vault/orders/key",
                "STORE_UNAVAILABLE"));

    assertThat(second.sequence()).isGreaterThan(first.sequence());
    assertThat(first.recordedAt()).isAfter(before).isBeforeOrEqualTo(second.recordedAt());
    List<KeyAuditRecord> all = audit.list(0, 10);
    assertThat(all).containsExactly(first, second);
    assertThat(all.get(1).entry())
        .isEqualTo(
            new KeyAuditEntry(
                "control-plane",
                KeyOperation.VAULT_KEY_CREATED,
                "vault/orders/key",
                KeyAuditEntry.Outcome.FAILED,
                "STORE_UNAVAILABLE"));
  }

  @Test
  void pagesBySequence() {
    for (int i = 0; i < 5; i++) {
      audit.append(
          KeyAuditEntry.succeeded("admin-token", KeyOperation.VAULT_KEY_CREATED, "vault/v" + i));
    }
    List<KeyAuditRecord> firstPage = audit.list(0, 2);
    List<KeyAuditRecord> secondPage = audit.list(firstPage.get(1).sequence(), 2);
    List<KeyAuditRecord> lastPage = audit.list(secondPage.get(1).sequence(), 2);

    assertThat(firstPage)
        .extracting(r -> r.entry().subject())
        .containsExactly("vault/v0", "vault/v1");
    assertThat(secondPage)
        .extracting(r -> r.entry().subject())
        .containsExactly("vault/v2", "vault/v3");
    assertThat(lastPage).extracting(r -> r.entry().subject()).containsExactly("vault/v4");
    assertThatThrownBy(() -> audit.list(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noRecordCanBeChangedOrRemovedEvenByTheOwningRole() throws SQLException {
    audit.append(
        KeyAuditEntry.succeeded("admin-token", KeyOperation.VAULT_KEY_CREATED, "vault/kept/key"));

    for (String tampering :
        List.of(
            "UPDATE key_audit SET outcome = 'FAILED'",
            "DELETE FROM key_audit",
            "TRUNCATE key_audit")) {
      try (Connection connection = BASE.server().connect(BASE.databaseName());
          Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.execute(tampering))
            .as(tampering)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("append-only");
      }
    }
    assertThat(audit.list(0, 10))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.entry().subject()).isEqualTo("vault/kept/key");
              assertThat(r.entry().outcome()).isEqualTo(KeyAuditEntry.Outcome.SUCCEEDED);
            });
  }
}
