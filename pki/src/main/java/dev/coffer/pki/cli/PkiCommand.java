package dev.coffer.pki.cli;

import dev.coffer.pki.Pem.PemException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The cluster PKI's commands: {@code ca create}, {@code cert issue}, {@code cert renew}, {@code
 * cert show}. Bad input ends with exit code 2 and one line on standard error, never a stack trace;
 * nothing printed ever contains key material.
 */
@Command(
    name = "coffer-pki",
    mixinStandardHelpOptions = true,
    subcommands = {CaCommand.class, CertCommand.class},
    description = "Creates the cluster CA and issues, renews and shows cluster certificates.")
public final class PkiCommand implements Runnable {
  /** Exit code for input the command cannot use. */
  public static final int BAD_INPUT = 2;

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Coffer's error handling, for {@code main} and for tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new PkiCommand());
    commandLine.setParameterExceptionHandler(
        (exception, args) -> {
          PrintWriter err = exception.getCommandLine().getErr();
          err.println(
              "error: "
                  + exception.getMessage()
                  + " (see "
                  + exception.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help)");
          return BAD_INPUT;
        });
    commandLine.setExecutionExceptionHandler(
        (exception, command, parseResult) -> {
          PrintWriter err = command.getErr();
          String input = badInput(exception);
          if (input != null) {
            err.println("error: " + input);
            return BAD_INPUT;
          }
          err.println(
              "error: " + exception.getClass().getSimpleName() + ": " + exception.getMessage());
          return 1;
        });
    return commandLine;
  }

  /** What was wrong with the input, or null for a failure that is not the caller's doing. */
  static String badInput(Exception exception) {
    if (exception instanceof UsageException
        || exception instanceof IllegalArgumentException
        || exception instanceof PemException) {
      return exception.getMessage();
    }
    if (exception instanceof NoSuchFileException missing) {
      return "no such file: " + missing.getFile();
    }
    if (exception instanceof FileAlreadyExistsException exists) {
      return exists.getFile()
          + " already exists"
          + (exists.getReason() == null ? "" : ": " + exists.getReason());
    }
    if (exception instanceof AccessDeniedException denied) {
      return "permission denied: " + denied.getFile();
    }
    return null;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "name a command: ca create, cert issue, cert renew or cert show");
  }

  /** Input that cannot be used; its message is the whole of what the user sees. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
