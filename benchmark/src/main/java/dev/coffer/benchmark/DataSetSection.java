package dev.coffer.benchmark;

import java.util.Locale;
import java.util.stream.Collectors;

/** The data set and what loading it cost. */
final class DataSetSection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    Results.DataSet d = r.dataSet();
    out.append("## Data set\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%d secrets of %d bytes in %d vaults (%s), %d of them with %d versions: %d versions."
                + " Loaded through the control plane's API by %d closed-loop writers in %.1f s"
                + " (**%.0f writes/s**, %d retries); applied on every host %.1f s after the first"
                + " write.%n%n",
            d.secrets(),
            d.valueBytes(),
            d.vaults(),
            d.versionsPerShard().entrySet().stream()
                .map(e -> e.getValue() + " versions on " + e.getKey())
                .collect(Collectors.joining(", ")),
            d.multiVersionSecrets(),
            d.versionsEach(),
            d.versions(),
            d.loadThreads(),
            d.loadSeconds(),
            d.writesPerSecond(),
            d.retries(),
            d.appliedEverywhereSeconds()));
  }
}
