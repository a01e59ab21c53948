package dev.coffer.replication.properties;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLFeatureNotSupportedException;
import java.util.IdentityHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that hands out whichever connection the (single) test thread has routed it to, and
 * ignores its callers' {@code close()}. Behind one real {@code ShardDatabase} this gives: the real
 * store and reader on a cheap autocommit connection by default, and, {@link #using} a writer's
 * manual-commit connection, the real store's own transaction joining the writer's open one (Jdbi
 * runs a transaction on a connection already in one as part of it), so its writes and log appends
 * stay uncommitted until the test commits or rolls back.
 */
final class RoutedConnections implements DataSource {
  private final Connection defaultConnection;
  private final IdentityHashMap<Connection, Connection> unclosable = new IdentityHashMap<>();
  private Connection current;

  RoutedConnections(Connection defaultConnection) {
    this.defaultConnection = defaultConnection;
    this.current = defaultConnection;
  }

  /** Runs {@code work} with every connection handed out being {@code connection}. */
  <T> T using(Connection connection, Supplier<T> work) {
    if (current != defaultConnection) {
      throw new IllegalStateException("already routed to " + current);
    }
    current = connection;
    try {
      return work.get();
    } finally {
      current = defaultConnection;
    }
  }

  @Override
  public Connection getConnection() {
    return unclosable.computeIfAbsent(current, RoutedConnections::unclosable);
  }

  @Override
  public Connection getConnection(String username, String password) {
    return getConnection();
  }

  private static Connection unclosable(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            RoutedConnections.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              return switch (method.getName()) {
                case "close" -> null;
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "unclosable " + connection;
                default -> {
                  try {
                    yield method.invoke(connection, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                }
              };
            });
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws java.sql.SQLException {
    throw new java.sql.SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
