package dev.coffer.benchmark;

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

  /** Each option's value after parsing {@code args} and applying the smoke preset, one a line. */
  private static String optionsAfter(String... args) throws Exception {
    CommandLine commandLine = BenchmarkRun.commandLine();
    commandLine.parseArgs(args);
    BenchmarkRun run = commandLine.getCommand();
    java.lang.reflect.Method preset = BenchmarkRun.class.getDeclaredMethod("applySmokeDefaults");
    preset.setAccessible(true);
    preset.invoke(run);
    return commandLine.getCommandSpec().options().stream()
            .map(o -> o.longestName() + "=" + o.getValue())
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}
