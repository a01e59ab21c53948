package dev.coffer.core.crypto.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.coffer.core.testing.Generators;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class SecretSharingProperties {
  private static final SecretSharing SHARING = new SecretSharing();

  /** A split: the secret, the share count n and the threshold k. */
  record Split(byte[] secret, int shares, int threshold) {
    @Override
    public String toString() {
      return "Split[" + Arrays.toString(secret) + ", n=" + shares + ", k=" + threshold + "]";
    }
  }

  @Test
  void anyThresholdOrMoreSharesReconstructTheSecret() {
    qt().withExamples(300)
        .forAll(splits(), seeds(), Generate.range(0, 254))
        .checkAssert(SecretSharingProperties::anyThresholdOrMoreSharesReconstructTheSecret);
  }

  private static void anyThresholdOrMoreSharesReconstructTheSecret(
      Split split, long seed, int extra) {
    List<SecretShare> shares = SHARING.split(split.secret(), split.shares(), split.threshold());
    int count = split.threshold() + extra % (split.shares() - split.threshold() + 1);

    List<SecretShare> chosen = choose(shares, count, seed);

    assertThat(SecretSharing.combine(chosen)).isEqualTo(split.secret());
  }

  @Test
  void sharesSurviveTheirTextForm() {
    qt().withExamples(300)
        .forAll(splits(), seeds())
        .checkAssert(SecretSharingProperties::sharesSurviveTheirTextForm);
  }

  private static void sharesSurviveTheirTextForm(Split split, long seed) {
    List<SecretShare> shares = SHARING.split(split.secret(), split.shares(), split.threshold());
    List<SecretShare> decoded = new ArrayList<>();
    for (SecretShare share : choose(shares, split.threshold(), seed)) {
      SecretShare back = SecretShare.decode(share.encode());
      assertThat(back).isEqualTo(share);
      assertThat(back.index()).isEqualTo(share.index());
      assertThat(back.threshold()).isEqualTo(split.threshold());
      assertThat(back.shares()).isEqualTo(split.shares());
      decoded.add(back);
    }

    assertThat(SecretSharing.combine(decoded)).isEqualTo(split.secret());
  }

  @Test
  void fewerThanThresholdSharesAreRefusedWithACount() {
    qt().withExamples(300)
        .forAll(splits(), seeds())
        .checkAssert(SecretSharingProperties::fewerThanThresholdSharesAreRefusedWithACount);
  }

  private static void fewerThanThresholdSharesAreRefusedWithACount(Split split, long seed) {
    List<SecretShare> shares = SHARING.split(split.secret(), split.shares(), split.threshold());
    List<SecretShare> tooFew = choose(shares, split.threshold() - 1, seed);

    assertThatThrownBy(() -> SecretSharing.combine(tooFew))
        .isInstanceOf(InvalidShareException.class)
        .hasMessageContaining(split.threshold() + " shares")
        .hasMessageContaining("are needed");
  }

  /**
   * Below the threshold the shares are not just refused by the API: interpolating through them
   * anyway gives something other than the secret.
   */
  @Test
  void thresholdMinusOneSharesDoNotInterpolateToTheSecret() {
    qt().withExamples(300)
        .forAll(Generators.bytes(16, 64), Generate.range(2, 12), Generate.range(0, 8), seeds())
        .checkAssert(SecretSharingProperties::thresholdMinusOneSharesDoNotInterpolateToTheSecret);
  }

  private static void thresholdMinusOneSharesDoNotInterpolateToTheSecret(
      byte[] secret, int threshold, int more, long seed) {
    int shares = threshold + more;
    byte[][] values = Shamir.split(secret, shares, threshold, new SecureRandom());
    List<Integer> xs = shuffledIndexes(shares, seed).subList(0, threshold - 1);

    byte[] guess = Shamir.interpolateAtZero(xArray(xs), yArray(values, xs));

    assertThat(guess).isNotEqualTo(secret);
  }

  /**
   * Perfect secrecy, checked constructively: whatever secret an attacker guesses, the k − 1 shares
   * they hold are exactly as consistent with it as with the real one, since one more share makes a
   * complete set that reconstructs the guess.
   */
  @Test
  void thresholdMinusOneSharesAreConsistentWithEverySecret() {
    qt().withExamples(200)
        .forAll(splits(), seeds())
        .checkAssert(SecretSharingProperties::thresholdMinusOneSharesAreConsistentWithEverySecret);
  }

  private static void thresholdMinusOneSharesAreConsistentWithEverySecret(Split split, long seed) {
    byte[] secret = split.secret();
    byte[] guess = new byte[secret.length];
    new Random(seed).nextBytes(guess);
    byte[][] values = Shamir.split(secret, split.shares(), split.threshold(), new SecureRandom());
    List<Integer> order = shuffledIndexes(split.shares(), seed);
    List<Integer> held = order.subList(0, split.threshold() - 1);
    int missing = order.get(split.threshold() - 1);

    // The polynomial through (0, guess) and the held points, evaluated at the missing index.
    List<Integer> withZero = new ArrayList<>(held);
    withZero.add(0);
    byte[][] ys = Arrays.copyOf(yArray(values, held), split.threshold());
    ys[split.threshold() - 1] = guess;
    byte[] forged = Shamir.interpolateAt(missing, xArray(withZero), ys);

    List<Integer> completed = new ArrayList<>(held);
    completed.add(missing);
    byte[][] completedYs = Arrays.copyOf(yArray(values, held), split.threshold());
    completedYs[split.threshold() - 1] = forged;
    assertThat(Shamir.interpolateAtZero(xArray(completed), completedYs)).isEqualTo(guess);
  }

  @Test
  void aRepeatedShareIsRefused() {
    qt().withExamples(100)
        .forAll(splits(), seeds())
        .checkAssert(SecretSharingProperties::aRepeatedShareIsRefused);
  }

  private static void aRepeatedShareIsRefused(Split split, long seed) {
    List<SecretShare> shares = SHARING.split(split.secret(), split.shares(), split.threshold());
    List<SecretShare> chosen = new ArrayList<>(choose(shares, split.threshold() - 1, seed));
    chosen.add(chosen.get(0));

    assertThatThrownBy(() -> SecretSharing.combine(chosen))
        .isInstanceOf(InvalidShareException.class)
        .hasMessageContaining("more than once");
  }

  @Test
  void sharesOfDifferentSplitsAreNotMixed() {
    qt().withExamples(100)
        .forAll(splits(), seeds())
        .checkAssert(SecretSharingProperties::sharesOfDifferentSplitsAreNotMixed);
  }

  private static void sharesOfDifferentSplitsAreNotMixed(Split split, long seed) {
    List<SecretShare> first = SHARING.split(split.secret(), split.shares(), split.threshold());
    List<SecretShare> second = SHARING.split(split.secret(), split.shares(), split.threshold());
    List<SecretShare> mixed = new ArrayList<>(choose(first, split.threshold() - 1, seed));
    // The same index as none of those chosen is not required: the set id differs anyway.
    mixed.add(second.get(Math.floorMod(seed, split.shares())));

    assertThatThrownBy(() -> SecretSharing.combine(mixed))
        .isInstanceOf(InvalidShareException.class)
        .hasMessageContaining("different sets");
  }

  /** Any change to a share's text is caught: by the prefix, the alphabet or the checksum. */
  @Test
  void aDamagedShareIsRefused() {
    qt().withExamples(300)
        .forAll(splits(), Generators.nonNegativeInts(), Generate.characters(0, Character.MAX_VALUE))
        .checkAssert(SecretSharingProperties::aDamagedShareIsRefused);
  }

  private static void aDamagedShareIsRefused(Split split, int position, char c) {
    String text = SHARING.split(split.secret(), split.shares(), split.threshold()).get(0).encode();
    int at = position % text.length();
    if (text.charAt(at) == c) {
      return;
    }
    String damaged = text.substring(0, at) + c + text.substring(at + 1);

    assertThatThrownBy(() -> SecretShare.decode(damaged))
        .isInstanceOf(InvalidShareException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(text.substring(20, 40)));
  }

  @Test
  void aTruncatedShareIsRefused() {
    qt().withExamples(100)
        .forAll(splits(), Generators.positiveInts())
        .checkAssert(SecretSharingProperties::aTruncatedShareIsRefused);
  }

  private static void aTruncatedShareIsRefused(Split split, int cut) {
    String text = SHARING.split(split.secret(), split.shares(), split.threshold()).get(0).encode();
    String truncated = text.substring(0, text.length() - 1 - cut % (text.length() - 1));

    assertThatThrownBy(() -> SecretShare.decode(truncated))
        .isInstanceOf(InvalidShareException.class);
  }

  /**
   * A share whose value was altered by someone who also recomputed its checksum decodes, but the
   * reconstruction is refused rather than returning a wrong secret.
   */
  @Test
  void aForgedShareValueIsCaughtAtReconstruction() {
    qt().withExamples(100)
        .forAll(splits(), seeds(), Generators.nonNegativeInts())
        .checkAssert(SecretSharingProperties::aForgedShareValueIsCaughtAtReconstruction);
  }

  private static void aForgedShareValueIsCaughtAtReconstruction(
      Split split, long seed, int position) {
    List<SecretShare> shares =
        new ArrayList<>(
            choose(
                SHARING.split(split.secret(), split.shares(), split.threshold()),
                split.threshold(),
                seed));
    SecretShare victim = shares.get(0);
    byte[] value = victim.value();
    value[position % value.length] ^= 1;
    SecretShare forged =
        SecretShare.decode(
            new SecretShare(
                    victim.setIdBytes(),
                    victim.threshold(),
                    victim.shares(),
                    victim.index(),
                    victim.secretCheck(),
                    value)
                .encode());
    shares.set(0, forged);

    assertThatThrownBy(() -> SecretSharing.combine(shares))
        .isInstanceOf(InvalidShareException.class)
        .hasMessageContaining("do not reconstruct");
  }

  @Test
  void textIsPrefixedAndToStringShowsNoValue() {
    byte[] secret = "zq7x-secret-zq7x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    SecretShare share = SHARING.split(secret, 5, 3).get(1);

    assertThat(share.encode()).startsWith("coffer-share-v1.");
    assertThat(share.toString())
        .isEqualTo("share 2 of 5 (3 needed), set " + share.setId())
        .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(share.value()));
    assertThat(share.setId()).hasSize(32);
  }

  @Test
  void refusesTextThatIsNotAShare() {
    assertThatThrownBy(() -> SecretShare.decode("hello"))
        .isInstanceOf(InvalidShareException.class)
        .hasMessageContaining("not a Coffer share");
    assertThatThrownBy(() -> SecretShare.decode(null)).isInstanceOf(InvalidShareException.class);
    assertThatThrownBy(() -> SecretShare.decode("coffer-share-v1.!!!"))
        .isInstanceOf(InvalidShareException.class)
        .hasMessageContaining("base64url");
    assertThatThrownBy(() -> SecretSharing.combine(List.of()))
        .isInstanceOf(InvalidShareException.class);
  }

  @Test
  void acceptsSurroundingWhitespace() {
    byte[] secret = new byte[] {1, 2, 3};
    List<SecretShare> shares = SHARING.split(secret, 3, 2);

    assertThat(
            SecretSharing.combine(
                List.of(
                    SecretShare.decode("  " + shares.get(0).encode() + "\n"),
                    SecretShare.decode(shares.get(2).encode() + "\r\n"))))
        .isEqualTo(secret);
  }

  @Test
  void rejectsImpossibleParameters() {
    byte[] secret = new byte[] {1};
    assertThatThrownBy(() -> SHARING.split(secret, 3, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SHARING.split(secret, 3, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SHARING.split(secret, 256, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SHARING.split(new byte[0], 3, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SHARING.split(secret, 255, 255)).hasSize(255);
  }

  /**
   * Mostly small splits; some of the size a recovery key needs (about 2 KB, few shares) and some
   * with the most shares a set can have (short secrets, to keep the run short).
   */
  private static Gen<Split> splits() {
    Gen<Split> small = splitsOf(bytes(1, 64), Generate.range(2, 10));
    Gen<Split> keySized = splitsOf(bytes(1000, 2000), Generate.range(2, 5));
    Gen<Split> many = splitsOf(bytes(1, 16), Generate.range(200, 255));
    return Generate.frequency(Pair.of(8, small), Pair.of(1, keySized), Pair.of(1, many));
  }

  /** Thresholds anywhere from 2 to n, and the extremes 2 and n half the time. */
  private static Gen<Split> splitsOf(Gen<byte[]> secrets, Gen<Integer> counts) {
    return secrets
        .zip(counts, (secret, n) -> Pair.of(secret, n))
        .flatMap(
            p ->
                Generate.oneOf(Generate.range(2, p._2), Generate.pick(List.of(2, p._2)))
                    .map(k -> new Split(p._1, p._2, k)));
  }

  private static Gen<byte[]> bytes(int min, int max) {
    return Generators.bytes(min, max);
  }

  private static Gen<Long> seeds() {
    return longs().all();
  }

  private static List<SecretShare> choose(List<SecretShare> shares, int count, long seed) {
    List<SecretShare> shuffled = new ArrayList<>(shares);
    Collections.shuffle(shuffled, new Random(seed));
    return List.copyOf(shuffled.subList(0, count));
  }

  private static List<Integer> shuffledIndexes(int shares, long seed) {
    List<Integer> xs = new ArrayList<>();
    for (int x = 1; x <= shares; x++) {
      xs.add(x);
    }
    Collections.shuffle(xs, new Random(seed));
    return xs;
  }

  private static int[] xArray(List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).toArray();
  }

  private static byte[][] yArray(byte[][] values, List<Integer> xs) {
    byte[][] ys = new byte[xs.size()][];
    for (int i = 0; i < xs.size(); i++) {
      ys[i] = values[xs.get(i) - 1];
    }
    return ys;
  }
}
