package dev.coffer.replication.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts what reaches the server: statement executions, commits and borrowed
 * connections. With pgjdbc each execution and each commit is one round trip (a transaction's BEGIN
 * travels with its first statement), so these counts are a write's or a read's round trips.
 */
public final class RoundTripCountingDataSource implements DataSource {
  private final DataSource delegate;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger executions = new AtomicInteger();
  private final AtomicInteger commits = new AtomicInteger();

  public RoundTripCountingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** Statements executed plus commits since the last reset. */
  public int roundTrips() {
    return executions.get() + commits.get();
  }

  public int executions() {
    return executions.get();
  }

  public int commits() {
    return commits.get();
  }

  public int connections() {
    return connections.get();
  }

  public void reset() {
    connections.set(0);
    executions.set(0);
    commits.set(0);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return counted(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return counted(delegate.getConnection(user, password));
  }

  private Connection counted(Connection connection) {
    connections.incrementAndGet();
    return proxy(
        Connection.class,
        (p, method, args) -> {
          if (method.getName().equals("commit")) {
            commits.incrementAndGet();
          }
          Object result = invoke(connection, method, args);
          return result instanceof Statement statement ? countedStatement(statement) : result;
        });
  }

  private Statement countedStatement(Statement statement) {
    Class<?> type = statement.getClass();
    return (Statement)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            interfacesOf(type),
            (p, method, args) -> {
              if (method.getName().startsWith("execute")) {
                executions.incrementAndGet();
              }
              return invoke(statement, method, args);
            });
  }

  private static Class<?>[] interfacesOf(Class<?> type) {
    Set<Class<?>> all = new LinkedHashSet<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.getName().startsWith("java.sql.")) {
          all.add(i);
        }
      }
    }
    return all.toArray(Class<?>[]::new);
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
