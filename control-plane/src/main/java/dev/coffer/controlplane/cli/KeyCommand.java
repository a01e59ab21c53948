package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.crypto.sharing.InvalidShareException;
import dev.coffer.core.error.CofferException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * An operator command run against the control plane's configuration file, e.g. {@code
 * coffer-control-plane keys-status config.yml}. Expected failures print one {@code error:} line and
 * exit non-zero; only unexpected ones print a stack trace.
 */
abstract class KeyCommand extends ConfiguredCommand<ControlPlaneConfiguration> {
  /** A failure the operator can act on; its message says how. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  KeyCommand(String name, String description) {
    super(name, description);
  }

  @Override
  protected final void run(
      Bootstrap<ControlPlaneConfiguration> bootstrap,
      Namespace namespace,
      ControlPlaneConfiguration config)
      throws Exception {
    execute(namespace, config, System.out);
  }

  abstract void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out)
      throws Exception;

  /** Who the audit trail records: the operating-system user who ran the command. */
  static String actor() {
    return "operator:" + System.getProperty("user.name", "unknown");
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof Failure
        || e instanceof CofferException
        || e instanceof InvalidShareException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof UncheckedIOException) {
      cli.getStdErr().println("error: " + e.getMessage());
    } else {
      super.onError(cli, namespace, e);
    }
  }
}
