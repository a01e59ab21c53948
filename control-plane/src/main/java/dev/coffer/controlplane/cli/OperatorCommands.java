package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import io.dropwizard.core.setup.Bootstrap;

/** The key commands security teams run against the control plane's configuration. */
public final class OperatorCommands {
  private OperatorCommands() {}

  public static void addTo(Bootstrap<ControlPlaneConfiguration> bootstrap) {
    bootstrap.addCommand(new KeysInitCommand());
    bootstrap.addCommand(new KeysStatusCommand());
    bootstrap.addCommand(new KeysRewrapCommand());
    bootstrap.addCommand(new RootRotateCommand());
    bootstrap.addCommand(new RecoveryInitCommand());
    bootstrap.addCommand(new RecoveryRestoreCommand());
    bootstrap.addCommand(new VaultKeyRotateCommand());
    bootstrap.addCommand(new VaultKeyStatusCommand());
    bootstrap.addCommand(new VaultKeyDestroyCommand());
  }
}
