package dev.coffer.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchmarkOptionsTest {
  @Test
  void theCommandLineHelpStaysAsItWas() throws Exception {
    Golden.assertMatches(
        "usage.txt", BenchmarkRun.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF));
  }

  @Test
  void withoutArgumentsEveryOptionHasItsDefault() throws Exception {
    Golden.assertMatches("options-default.txt", optionsAfter());
  }

  @Test
  void theSmokePresetSetsEveryOptionNotGiven() throws Exception {
    Golden.assertMatches("options-smoke.txt", optionsAfter("--smoke"));
  }

  @Test
  void optionsGivenExplicitlyWinOverTheSmokePreset() throws Exception {
    Golden.assertMatches(
        "options-smoke-with-given.txt",
        optionsAfter(
            "--smoke",
            "--shards",
            "3",
            "--probe",
            "POLL",
            "--load-generator",
            "java",
            "--server-jvm-option",
            "-Xmx1g",
            "--read-rate",
            "75.5"));
  }

  @Test
  void aProbeOrLoadGeneratorThatDoesNotExistIsRefusedBeforeAnythingStarts() {
    CommandLine commandLine = BenchmarkRun.commandLine();
    commandLine.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));

    assertThat(commandLine.execute("--probe", "sometimes")).isEqualTo(2);
    assertThat(commandLine.execute("--load-generator", "ab")).isEqualTo(2);
  }

  @Test
  void valuesOutOfRangeAreEachNamed() throws Exception {
    CommandLine commandLine = BenchmarkRun.commandLine();
    commandLine.parseArgs("--shards", "0", "--read-rate", "0");
    BenchmarkOptions options =
        (BenchmarkOptions) commandLine.getCommandSpec().mixins().get("options").userObject();

    assertThat(options.problems())
        .containsExactly(
            "--shards and --hosts-per-shard must be at least 1",
            "--read-rate above 0 and at most 100000, --read-duration at least 1, --read-warmup at"
                + " least 0");
  }

  /** Each option's value after parsing {@code args} and applying the smoke preset, one a line. */
  private static String optionsAfter(String... args) throws Exception {
    CommandLine commandLine = BenchmarkRun.commandLine();
    commandLine.parseArgs(args);
    BenchmarkOptions options =
        (BenchmarkOptions) commandLine.getCommandSpec().mixins().get("options").userObject();
    options.applySmokePreset(commandLine.getCommandSpec());
    return commandLine.getCommandSpec().options().stream()
            .map(o -> o.longestName() + "=" + o.getValue())
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}
