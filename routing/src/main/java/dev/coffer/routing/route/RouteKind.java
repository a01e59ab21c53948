package dev.coffer.routing.route;

/** Which kind of upstream a request goes to; also the metrics' name for its route. */
public enum RouteKind {
  /** A read of a vault's secrets: a data-plane host of the vault's cell. */
  READ,
  /** Writes, admin calls and everything else the API has: a control plane. */
  CONTROL;

  /** As metric names spell it. */
  public String metricName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
