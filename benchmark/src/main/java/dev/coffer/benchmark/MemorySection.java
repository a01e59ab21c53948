package dev.coffer.benchmark;

import java.util.Locale;

/** The processes' memory with the data set loaded. */
final class MemorySection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    out.append("## Memory with the data set loaded\n\n");
    out.append(
        "After the data set was loaded and read (P1, P2), before P3. RSS from `/proc`, heap in use"
            + " from the server's metrics, the replica's RocksDB files on disk.\n\n");
    out.append(
        """
        | Process | role | RSS MiB | heap used MiB | replica on disk MiB |
        |---|---|---:|---:|---:|
        """);
    for (Results.Memory m : r.memory()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s |%n",
              m.process(),
              m.role(),
              mib(m.rssMiB()),
              mib(m.heapUsedMiB()),
              mib(m.replicaMiB())));
    }
    out.append('\n');
  }

  private static String mib(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
  }
}
