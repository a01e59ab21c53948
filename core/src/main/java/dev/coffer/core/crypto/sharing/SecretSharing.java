package dev.coffer.core.crypto.sharing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Splits a secret into {@code n} shares of which any {@code k} give it back (Shamir's scheme over
 * GF(256)), and reassembles it with checks that name a missing, repeated, foreign or damaged share.
 */
public final class SecretSharing {
  private final SecureRandom random;

  public SecretSharing() {
    this(new SecureRandom());
  }

  SecretSharing(SecureRandom random) {
    this.random = random;
  }

  /**
   * @param shares how many custodians receive a share, 2 to 255
   * @param threshold how many of them must come together, 2 to {@code shares}
   */
  public List<SecretShare> split(byte[] secret, int shares, int threshold) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("the secret must not be empty");
    }
    if (threshold < 2) {
      throw new IllegalArgumentException("the threshold must be at least 2");
    }
    if (threshold > shares) {
      throw new IllegalArgumentException("the threshold cannot exceed the number of shares");
    }
    if (shares > Shamir.MAX_SHARES) {
      throw new IllegalArgumentException("at most " + Shamir.MAX_SHARES + " shares");
    }
    byte[] setId = new byte[SecretShare.SET_ID_BYTES];
    random.nextBytes(setId);
    byte[] check = secretCheck(setId, secret);
    byte[][] values = Shamir.split(secret, shares, threshold, random);
    List<SecretShare> out = new ArrayList<>(shares);
    for (int i = 0; i < shares; i++) {
      out.add(new SecretShare(setId, threshold, shares, i + 1, check, values[i]));
      Arrays.fill(values[i], (byte) 0);
    }
    return List.copyOf(out);
  }

  /**
   * Reassembles the secret from at least {@link SecretShare#threshold()} shares of one set. The
   * caller owns the returned array and should wipe it after use.
   *
   * @throws InvalidShareException when shares are missing, repeated, from different sets, or do not
   *     reconstruct the secret they were split from
   */
  public static byte[] combine(Collection<SecretShare> shares) {
    if (shares.isEmpty()) {
      throw new InvalidShareException("No shares were given.");
    }
    SecretShare first = shares.iterator().next();
    TreeMap<Integer, SecretShare> byIndex = new TreeMap<>();
    for (SecretShare share : shares) {
      if (!Arrays.equals(share.setIdBytes(), first.setIdBytes())) {
        throw new InvalidShareException(
            "The shares come from different sets ("
                + first.setId()
                + " and "
                + share.setId()
                + "); all must come from the same split.");
      }
      if (share.threshold() != first.threshold()
          || share.shares() != first.shares()
          || !Arrays.equals(share.secretCheck(), first.secretCheck())
          || share.value().length != first.value().length) {
        throw new InvalidShareException(
            "Share " + share.index() + " does not match the others of set " + first.setId() + ".");
      }
      if (byIndex.putIfAbsent(share.index(), share) != null) {
        throw new InvalidShareException("Share " + share.index() + " was given more than once.");
      }
    }
    if (byIndex.size() < first.threshold()) {
      throw new InvalidShareException(
          first.threshold()
              + " shares of set "
              + first.setId()
              + " are needed; "
              + byIndex.size()
              + (byIndex.size() == 1 ? " was" : " were")
              + " given.");
    }
    // All given points go into the interpolation: more than threshold points of one polynomial
    // give the same result, and a wrong extra share then shows up in the secret check.
    int[] xs = new int[byIndex.size()];
    byte[][] ys = new byte[byIndex.size()][];
    int i = 0;
    for (SecretShare share : byIndex.values()) {
      xs[i] = share.index();
      ys[i] = share.value();
      i++;
    }
    byte[] secret = Shamir.interpolateAtZero(xs, ys);
    for (byte[] y : ys) {
      Arrays.fill(y, (byte) 0);
    }
    if (!MessageDigest.isEqual(secretCheck(first.setIdBytes(), secret), first.secretCheck())) {
      Arrays.fill(secret, (byte) 0);
      throw new InvalidShareException(
          "The shares do not reconstruct the secret of set "
              + first.setId()
              + ": at least one of them is not the share it claims to be.");
    }
    return secret;
  }

  static byte[] secretCheck(byte[] setId, byte[] secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("coffer/share-secret-check/v1".getBytes(StandardCharsets.UTF_8));
      sha256.update(setId);
      sha256.update(secret);
      return Arrays.copyOf(sha256.digest(), SecretShare.CHECK_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
