package dev.coffer.benchmark;

import java.util.Locale;

/** What the figures were measured on. */
final class MachineSection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    Results.Replication p3 = r.replication();
    Results.MachineInfo mi = r.machine();
    out.append("## Machine\n\n");
    out.append("| | |\n|---|---|\n");
    out.append(
        String.format(
            Locale.ROOT,
            "| cores | %d (%s) |%n",
            mi.cores(),
            mi.cpuModel() == null ? "model unknown" : mi.cpuModel()));
    out.append(
        String.format(
            Locale.ROOT,
            "| memory | %s MiB |%n",
            mi.memoryMiB() == null ? "n/a" : mi.memoryMiB().toString()));
    out.append("| Java | ").append(mi.java()).append(" |\n");
    out.append("| OS | ").append(mi.os()).append(" |\n");
    out.append(
        String.format(
            Locale.ROOT,
            "| load average (1/5/15 min) | start %s, end %s |%n",
            load(mi.loadAverageStart()),
            load(mi.loadAverageEnd())));
    out.append(
        String.format(
            Locale.ROOT,
            "| benchmark client CPU | %.2f cores over the whole run; %.2f during P3 |%n",
            mi.clientDuringRun().clientCores(),
            p3.usage().clientCores()));
    out.append(
        String.format(
            Locale.ROOT,
            "| machine busy during P3 | %s |%n",
            Numbers.percent(p3.usage().machineBusy())));
    out.append("\n").append(mi.note()).append('\n');
  }

  private static String load(double[] l) {
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", l[0], l[1], l[2]);
  }
}
