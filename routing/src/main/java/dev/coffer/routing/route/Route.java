package dev.coffer.routing.route;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.VaultName;
import java.util.Optional;

/** What the router does with a request: forward it, or answer it with an error itself. */
public sealed interface Route {
  /**
   * Forward to an upstream of {@code kind}; {@code vault} is the vault the path names, if any (a
   * read always names one).
   */
  record Forward(RouteKind kind, Optional<VaultName> vault) implements Route {}

  /** Answer with this error without asking any upstream; the message is safe to show. */
  record Refuse(ErrorCode code, String message) implements Route {}
}
