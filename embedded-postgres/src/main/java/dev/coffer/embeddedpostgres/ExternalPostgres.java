package dev.coffer.embeddedpostgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server someone else runs (named by {@code COFFER_TEST_PGURL}), shared by test JVMs
 * that may run in parallel. Every database this handle creates gets a random prefix unique to the
 * handle, so that tests never see each other's data, and {@link #close()} drops them again (or the
 * JVM's shutdown hook does, if close is never called).
 *
 * <p>The URL's user needs the CREATEDB privilege; the URL's database is only used to issue CREATE
 * and DROP DATABASE.
 */
public final class ExternalPostgres implements PostgresInstance {

  private static final Logger LOG = LoggerFactory.getLogger(ExternalPostgres.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_NAME = 63;

  private final PostgresUrl url;
  private final String prefix;
  private final Map<String, String> created = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ExternalPostgres(PostgresUrl url, String prefix) {
    this.url = url;
    this.prefix = prefix;
  }

  /** Connects to the server named by {@code url} (libpq or JDBC form) and checks it answers. */
  public static ExternalPostgres open(String url) {
    return open(PostgresUrl.parse(url));
  }

  public static ExternalPostgres open(PostgresUrl url) {
    byte[] random = new byte[5];
    RANDOM.nextBytes(random);
    ExternalPostgres instance =
        new ExternalPostgres(url, "t" + HexFormat.of().formatHex(random) + "_");
    try (Connection connection = instance.connect(url.database());
        Statement statement = connection.createStatement();
        ResultSet version = statement.executeQuery("SHOW server_version")) {
      version.next();
      LOG.info(
          "Using external PostgreSQL {} at {}:{} (database prefix {})",
          version.getString(1),
          url.host(),
          url.port(),
          instance.prefix);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to external PostgreSQL " + url + ": " + e, e);
    }
    ShutdownHooks.register(instance);
    return instance;
  }

  public PostgresUrl url() {
    return url;
  }

  /** The prefix of every database this handle creates. */
  public String prefix() {
    return prefix;
  }

  @Override
  public String host() {
    return url.host();
  }

  @Override
  public int port() {
    return url.port();
  }

  @Override
  public String user() {
    return url.user();
  }

  @Override
  public String password() {
    return url.password();
  }

  @Override
  public String jdbcUrl(String database) {
    return url.jdbcUrl(database);
  }

  /**
   * Creates {@code prefix + name} (shortened with a hash if that exceeds 63 characters) unless this
   * handle made it already, and returns that actual name.
   */
  @Override
  public String createDatabase(String name) {
    DatabaseNames.requireValid(name);
    if (closed.get()) {
      throw new IllegalStateException("ExternalPostgres handle is closed");
    }
    String actual = actualName(prefix, name);
    synchronized (created) {
      if (created.containsKey(name)) {
        return actual;
      }
      // Recorded before creating so that close() also drops a database whose creation timed out
      // client-side but succeeded on the server.
      created.put(name, actual);
    }
    Sql.createDatabaseIfAbsent(this, url.database(), actual);
    return actual;
  }

  /**
   * {@code prefix + name}, or if longer than PostgreSQL allows, a truncated name plus a hash of the
   * full one, so that distinct long names stay distinct.
   */
  static String actualName(String prefix, String name) {
    String full = prefix + name;
    if (full.length() <= MAX_NAME) {
      return full;
    }
    String hash = HexFormat.of().formatHex(sha256(name), 0, 4);
    int keep = MAX_NAME - prefix.length() - 1 - hash.length();
    return prefix + name.substring(0, keep) + "_" + hash;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Drops the databases this handle created; failures are logged, not thrown. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ShutdownHooks.unregister(this);
    List<String> toDrop;
    synchronized (created) {
      toDrop = new ArrayList<>(created.values());
      created.clear();
    }
    if (toDrop.isEmpty()) {
      return;
    }
    try (Connection connection = connect(url.database())) {
      for (String database : toDrop) {
        try {
          Sql.dropDatabaseIfExists(connection, database);
        } catch (SQLException e) {
          LOG.warn("Could not drop database {} on {}:{}", database, host(), port(), e);
        }
      }
    } catch (SQLException e) {
      LOG.warn("Could not connect to {} to drop databases {}", url, toDrop, e);
    }
  }

  @Override
  public String toString() {
    return "ExternalPostgres[" + url.host() + ":" + url.port() + ", prefix " + prefix + "]";
  }
}
