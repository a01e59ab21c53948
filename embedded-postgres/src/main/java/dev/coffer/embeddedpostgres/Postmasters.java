package dev.coffer.embeddedpostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Tells whether the PID recorded in a lock file (postmaster.pid, .s.PGSQL.nnnn.lock) still is the
 * postmaster of that data directory. A bare "is the PID alive" check is not enough: after a reboot
 * or in a container the PID is soon reused by an unrelated process, and a killed postmaster may
 * linger as a zombie when nothing reaps orphans. Both would make postgres refuse to start and
 * pg_ctl stop signal the wrong process.
 */
final class Postmasters {

  enum State {
    /** No such process: postgres itself copes with the stale lock file. */
    GONE,
    /** Dead but unreaped, or a different program: the lock file must go. */
    NOT_A_POSTMASTER,
    /** A live postgres whose working directory is the data directory. */
    RUNNING
  }

  private Postmasters() {}

  static State state(long pid, Path dataDirectory) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      String stat = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
      int afterName = stat.lastIndexOf(')');
      char state =
          afterName >= 0 && afterName + 2 < stat.length() ? stat.charAt(afterName + 2) : '?';
      if (state == 'Z' || state == 'X') {
        return State.NOT_A_POSTMASTER;
      }
    } catch (NoSuchFileException e) {
      return State.GONE;
    } catch (IOException e) {
      return ProcessHandle.of(pid).isPresent() ? runningGuess(proc) : State.GONE;
    }
    try {
      // The postmaster chdirs into its data directory, so its cwd identifies the cluster.
      Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
      return cwd.equals(dataDirectory.toRealPath()) ? State.RUNNING : State.NOT_A_POSTMASTER;
    } catch (NoSuchFileException e) {
      return ProcessHandle.of(pid).isPresent() ? State.NOT_A_POSTMASTER : State.GONE;
    } catch (AccessDeniedException e) {
      return runningGuess(proc); // another user's process, readable only by root
    } catch (IOException e) {
      return runningGuess(proc);
    }
  }

  /** Without access to cwd, any postgres process counts, so we never delete a live lock file. */
  private static State runningGuess(Path proc) {
    try {
      byte[] cmdline = Files.readAllBytes(proc.resolve("cmdline"));
      int end = 0;
      while (end < cmdline.length && cmdline[end] != 0) {
        end++;
      }
      String program = new String(cmdline, 0, end, StandardCharsets.UTF_8);
      return program.equals("postgres") || program.endsWith("/postgres")
          ? State.RUNNING
          : State.NOT_A_POSTMASTER;
    } catch (NoSuchFileException e) {
      return State.GONE;
    } catch (IOException e) {
      return State.RUNNING;
    }
  }

  /** First line of a postmaster.pid or socket lock file, if it is a PID. */
  static OptionalLong readPid(Path lockFile) {
    try {
      List<String> lines = Files.readAllLines(lockFile, StandardCharsets.ISO_8859_1);
      if (lines.isEmpty()) {
        return OptionalLong.empty();
      }
      long pid = Long.parseLong(lines.get(0).strip());
      // Socket lock files record a negative PID when the owner is a standalone backend.
      return pid == 0 ? OptionalLong.empty() : OptionalLong.of(Math.abs(pid));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
