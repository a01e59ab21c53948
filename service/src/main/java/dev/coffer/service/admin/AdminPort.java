package dev.coffer.service.admin;

import dev.coffer.service.http.BearerToken;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Set;

/** Restricts a server's admin port to what Coffer documents (see {@link AdminPortFilter}). */
public final class AdminPort {
  private AdminPort() {}

  /**
   * Call from each application's {@code run}, with the admin token of its configuration.
   *
   * @param openPaths the application's own admin servlets that answer GET without the token, as
   *     {@code /metrics} does: exact paths within the admin context
   */
  public static void restrict(Environment environment, String adminToken, String... openPaths) {
    environment
        .admin()
        .addFilter(
            "coffer-admin-port",
            new AdminPortFilter(new BearerToken(adminToken), Set.of(openPaths)))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
  }
}
