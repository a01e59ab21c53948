package dev.coffer.service.tls;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.pki.tls.ExpiryStatus;
import dev.coffer.pki.tls.ReloadingTlsMaterial;
import java.util.Optional;

/**
 * Unhealthy while an mtls connector's certificate or a CA it trusts is within the warning window
 * ({@code expiryWarning}, 14 days by default) or expired, and while the files on disk changed but
 * could not be loaded (the previous certificate is still served). The message names the certificate
 * file, never its content.
 */
final class TlsHealthCheck extends HealthCheck {
  private final ReloadingTlsMaterial material;

  TlsHealthCheck(ReloadingTlsMaterial material) {
    this.material = material;
  }

  @Override
  protected Result check() {
    String file = material.files().certificateChain().toString();
    if (material.lastFailure().isPresent()) {
      // A renewal writes the key, then the certificate: a poll between the two sees a mismatched
      // pair. Looking again now reports what is on disk, not a moment that has passed.
      material.reloadNow();
    }
    Optional<String> failure = material.lastFailure();
    if (failure.isPresent()) {
      return Result.unhealthy(
          "%s: the changed TLS files could not be loaded, the previous certificate is still"
              + " served (%s)",
          file, failure.get());
    }
    ExpiryStatus status = material.expiryStatus();
    return status.healthy()
        ? Result.healthy("%s: %s", file, status.message())
        : Result.unhealthy("%s: %s", file, status.message());
  }
}
