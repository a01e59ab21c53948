package dev.coffer.embeddedpostgres;

/**
 * Entry point for tests: a PostgreSQL server to create databases on.
 *
 * <p>By default each call starts a temporary local server ({@link
 * PostgresServer#startTemporary()}). If the environment variable {@value #EXTERNAL_URL_ENV} (or the
 * system property {@value #EXTERNAL_URL_PROPERTY}) holds a URL such as {@code
 * postgresql://user:pass@host:5432/postgres} or {@code jdbc:postgresql://host:5432/postgres}, that
 * server is used instead ({@link ExternalPostgres}).
 */
public final class PostgresServers {

  public static final String EXTERNAL_URL_ENV = "COFFER_TEST_PGURL";
  public static final String EXTERNAL_URL_PROPERTY = "coffer.test.pgurl";

  private PostgresServers() {}

  public static PostgresInstance startForTest() {
    String url = System.getProperty(EXTERNAL_URL_PROPERTY);
    if (url == null || url.isBlank()) {
      url = System.getenv(EXTERNAL_URL_ENV);
    }
    return startForTest(url);
  }

  /** As {@link #startForTest()}, with the external URL given (null or blank: start locally). */
  public static PostgresInstance startForTest(String externalUrl) {
    if (externalUrl == null || externalUrl.isBlank()) {
      return PostgresServer.startTemporary();
    }
    return ExternalPostgres.open(externalUrl);
  }
}
