package dev.coffer.service.db;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;

/** Builds a server's connection pool from its configuration: the one way Coffer's servers do. */
public final class ConnectionPools {
  private ConnectionPools() {}

  /**
   * Dropwizard's pool as configured, without the pool's statement facade. By default the pool
   * (tomcat-jdbc) wraps every statement and result set in a reflective proxy, so that a statement
   * cannot outlive the loan of its connection: every {@code setLong} and {@code getString} then
   * goes through {@code Method.invoke} and its caller check; the caller checks alone were about 6%
   * of a tailing host's apply thread (perf, at 100 writes/s per shard). Coffer's storage code
   * closes each statement before its connection (try-with-resources, Jdbi handles), so the guard
   * buys nothing there. Connections stay wrapped: one handed back to the pool still cannot be used.
   */
  public static ManagedDataSource build(
      DataSourceFactory configuration, MetricRegistry metrics, String name) {
    ManagedDataSource dataSource = configuration.build(metrics, name);
    if (dataSource instanceof DataSourceProxy pool) {
      // The pool is created when the data source starts, from these properties.
      pool.setUseStatementFacade(false);
    }
    return dataSource;
  }
}
