package dev.coffer.dataplane.read;

/** The store whose state answered a read. */
public enum ServedFrom {
  LOCAL("local"),
  REMOTE("remote");

  private final String header;

  ServedFrom(String header) {
    this.header = header;
  }

  /** The value of the {@code Coffer-Served-From} header. */
  public String header() {
    return header;
  }
}
