package dev.coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Stage transitions against a model written differently: a label per version, moved the way the API
 * documents it, instead of three numbers.
 */
class StageMapProperties {
  /** A step of a secret's life: a put in a stage, or a promotion of the n-th version written. */
  record Step(boolean promote, SecretStage putStage, int pick) {}

  @Test
  void putsAndPromotionsMoveStagesAsDocumented() {
    qt().withExamples(1000).forAll(steps()).checkAssert(StageMapProperties::stagesMoveAsDocumented);
  }

  private static void stagesMoveAsDocumented(List<Step> steps) {
    StageMap map = StageMap.NONE;
    Map<Long, SecretStage> labels = new HashMap<>();
    List<Long> written = new ArrayList<>();
    for (Step step : steps) {
      if (step.promote()) {
        if (written.isEmpty()) {
          continue;
        }
        long version = written.get(step.pick() % written.size());
        if (labels.get(version) != SecretStage.CURRENT) {
          move(labels, SecretStage.CURRENT, SecretStage.PREVIOUS);
          labels.put(version, SecretStage.CURRENT);
        }
        map = map.afterPromote(version);
      } else {
        long version = written.size() + 1L;
        written.add(version);
        if (step.putStage() == SecretStage.CURRENT) {
          move(labels, SecretStage.CURRENT, SecretStage.PREVIOUS);
        } else {
          labels.values().remove(SecretStage.PENDING);
        }
        labels.put(version, step.putStage());
        map = map.afterPut(version, step.putStage());
      }

      for (SecretStage stage : SecretStage.values()) {
        long expected =
            labels.entrySet().stream()
                .filter(e -> e.getValue() == stage)
                .mapToLong(Map.Entry::getKey)
                .findFirst()
                .orElse(0);
        assertThat(map.versionIn(stage)).as("%s after %s", stage, steps).isEqualTo(expected);
      }
      for (long version : written) {
        assertThat(map.stagesOf(version)).hasSizeLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void promotingTheCurrentVersionChangesNothing() {
    qt().withExamples(1000)
        .forAll(steps())
        .checkAssert(StageMapProperties::promotingTheCurrentVersionChangesNothing);
  }

  private static void promotingTheCurrentVersionChangesNothing(List<Step> steps) {
    StageMap map = StageMap.NONE;
    long version = 0;
    for (Step step : steps) {
      if (!step.promote()) {
        map = map.afterPut(++version, step.putStage());
      }
    }
    if (map.current() != 0) {
      assertThat(map.afterPromote(map.current())).isSameAs(map);
    }
  }

  @Test
  void aVersionCannotHoldTwoStages() {
    assertThatThrownBy(() -> new StageMap(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StageMap(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StageMap(0, 2, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StageMap(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new StageMap(0, 0, 0)).isEqualTo(StageMap.NONE);
  }

  @Test
  void aPutCannotMakeItsVersionPrevious() {
    assertThatThrownBy(() -> StageMap.NONE.afterPut(1, SecretStage.PREVIOUS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void promotingThePendingVersionClearsPendingAndKeepsTheOldCurrentAsPrevious() {
    StageMap map = StageMap.NONE.afterPut(1, SecretStage.CURRENT).afterPut(2, SecretStage.PENDING);

    assertThat(map).isEqualTo(new StageMap(1, 0, 2));
    assertThat(map.afterPromote(2)).isEqualTo(new StageMap(2, 1, 0));
    assertThat(map.afterPromote(2).afterPromote(1)).isEqualTo(new StageMap(1, 2, 0));
  }

  private static void move(Map<Long, SecretStage> labels, SecretStage from, SecretStage to) {
    labels.values().remove(to);
    labels.replaceAll((version, stage) -> stage == from ? to : stage);
  }

  private static Gen<List<Step>> steps() {
    Gen<Step> step =
        Generate.booleans()
            .zip(
                Generate.pick(List.of(SecretStage.CURRENT, SecretStage.PENDING)),
                Generate.range(0, 1000),
                Step::new);
    return lists().of(step).ofSizeBetween(0, 25);
  }
}
