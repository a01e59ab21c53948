package dev.coffer.embeddedpostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which OS user the PostgreSQL processes run as. initdb and postgres refuse to run as root,
 * so a root JVM (CI, containers) hands the server to an unprivileged account via runuser; any other
 * JVM runs them as itself.
 */
final class ServerUser {

  private static final boolean JVM_IS_ROOT = detectRoot();

  /** The account to run as, or null to run as the JVM's own user. */
  private final String name;

  private final String runuser;

  private ServerUser(String name, String runuser) {
    this.name = name;
    this.runuser = runuser;
  }

  static boolean jvmIsRoot() {
    return JVM_IS_ROOT;
  }

  /**
   * The user for a server whose data directory is {@code dataDir}. An existing cluster keeps the
   * account that owns it, because postgres refuses a data directory owned by anyone else.
   */
  static ServerUser forDataDirectory(Path dataDir) {
    if (!JVM_IS_ROOT) {
      return new ServerUser(null, null);
    }
    String runuser = requireRunuser();
    if (Files.isDirectory(dataDir)) {
      String owner = ownerName(dataDir);
      if (!owner.equals("root")) {
        return new ServerUser(owner, runuser);
      }
      throw new IllegalStateException(
          "data directory "
              + dataDir
              + " is owned by root, but PostgreSQL cannot run as root; chown -R it to an"
              + " unprivileged user (e.g. postgres) or delete it");
    }
    return forNewCluster();
  }

  /** The user a new cluster's server runs as. */
  static ServerUser forNewCluster() {
    if (!JVM_IS_ROOT) {
      return new ServerUser(null, null);
    }
    return new ServerUser(userExists("postgres") ? "postgres" : "nobody", requireRunuser());
  }

  /**
   * Lets this user pass through {@code directory}, one of the JVM user's private directories, and
   * nothing more: the directory's group becomes the user's primary group, with search permission
   * only (0710). No-op when no user switch happens.
   */
  void allowThrough(Path directory) {
    if (name == null) {
      return;
    }
    Commands.Result group =
        Commands.run(List.of("id", "-g", name), directory, Duration.ofSeconds(30), null);
    if (!group.succeeded()) {
      throw new IllegalStateException("could not find the group of user " + name);
    }
    try {
      GroupPrincipal principal = lookupService().lookupPrincipalByGroupName(group.output().strip());
      Files.getFileAttributeView(directory, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setGroup(principal);
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x---"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not let " + name + " pass through " + directory, e);
    }
  }

  /** Absolute path, because root's PATH in non-login shells and CI images often lacks sbin. */
  private static String requireRunuser() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : (path + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":", -1)) {
      Path candidate = entry.isEmpty() ? null : Path.of(entry, "runuser");
      if (candidate != null && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "the JVM runs as root, which PostgreSQL refuses, and runuser (util-linux) is not"
            + " installed to run it as another user; install util-linux or run as a normal user");
  }

  boolean switchesUser() {
    return name != null;
  }

  /** Name of the account for messages; "the current user" when no switch happens. */
  String describe() {
    return name == null ? System.getProperty("user.name") : name;
  }

  List<String> wrap(List<String> command) {
    if (name == null) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(runuser, "-u", name, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Makes {@code path} owned by the server user (no-op when no user switch happens). */
  void takeOwnership(Path path) {
    if (name == null) {
      return;
    }
    try {
      UserPrincipal principal = lookupService().lookupPrincipalByName(name);
      if (!Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).equals(principal)) {
        Files.setOwner(path, principal);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not chown " + path + " to " + name, e);
    }
  }

  boolean owns(Path path) {
    try {
      String owner = ownerName(path);
      return owner.equals(describe());
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Fails with a message naming the first directory the server user cannot enter. Asking the kernel
   * (test -x as that user) rather than inspecting mode bits also covers group membership and ACLs.
   */
  void requireTraversable(Collection<Path> paths, Path workDir) {
    if (name == null) {
      return;
    }
    Set<Path> chain = new LinkedHashSet<>();
    for (Path path : paths) {
      Path absolute = path.toAbsolutePath().normalize();
      List<Path> ancestors = new ArrayList<>();
      for (Path p = absolute; p != null; p = p.getParent()) {
        ancestors.add(0, p);
      }
      chain.addAll(ancestors);
    }
    List<String> command = new ArrayList<>();
    command.add("/bin/sh");
    command.add("-c");
    command.add("for d do [ -x \"$d\" ] || { printf '%s' \"$d\"; exit 3; }; done");
    command.add("sh");
    chain.forEach(p -> command.add(p.toString()));
    Commands.Result result = Commands.run(wrap(command), workDir, Duration.ofSeconds(30), null);
    if (result.exitCode() == 3) {
      String blocked = result.output().strip();
      throw new IllegalStateException(
          "PostgreSQL must run as user '"
              + name
              + "' because the JVM runs as root (initdb refuses root), but '"
              + name
              + "' cannot traverse directory "
              + blocked
              + "; make it accessible (chmod o+x "
              + blocked
              + ") or use a directory elsewhere");
    }
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "could not check directory access as user '"
              + name
              + "' via runuser (exit "
              + result.exitCode()
              + "): "
              + result.output().strip());
    }
  }

  static String ownerName(Path path) {
    try {
      return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read owner of " + path, e);
    }
  }

  private static boolean userExists(String user) {
    try {
      lookupService().lookupPrincipalByName(user);
      return true;
    } catch (UserPrincipalNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not look up user " + user, e);
    }
  }

  private static UserPrincipalLookupService lookupService() {
    return Path.of("/").getFileSystem().getUserPrincipalLookupService();
  }

  private static boolean detectRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (LinkageError e) {
      // jdk.security.auth missing from a trimmed runtime image.
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
