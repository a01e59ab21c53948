package dev.coffer.service.admin;

import dev.coffer.service.http.BearerToken;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/** Restricts a server's admin port to what Coffer documents (see {@link AdminPortFilter}). */
public final class AdminPort {
  private AdminPort() {}

  /** Call from each application's {@code run}, with the admin token of its configuration. */
  public static void restrict(Environment environment, String adminToken) {
    environment
        .admin()
        .addFilter("coffer-admin-port", new AdminPortFilter(new BearerToken(adminToken)))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
  }
}
