package dev.coffer.embeddedpostgres;

import java.util.regex.Pattern;

/** The database names {@link PostgresInstance#createDatabase} accepts. */
public final class DatabaseNames {

  /**
   * Lower case so that the name needs no quoting in SQL and stays the same whether quoted or not;
   * 63 characters is PostgreSQL's identifier limit (NAMEDATALEN - 1).
   */
  public static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private DatabaseNames() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** Returns {@code name} if valid, else throws IllegalArgumentException saying why. */
  public static String requireValid(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "invalid database name "
              + (name == null ? "null" : "'" + name + "'")
              + ": must match "
              + VALID.pattern()
              + " (start with a lower-case letter, then up to 62 lower-case letters, digits or"
              + " underscores)");
    }
    return name;
  }
}
