package dev.coffer.benchmark;

import static dev.coffer.benchmark.SvgChart.BOTTOM;
import static dev.coffer.benchmark.SvgChart.TOP;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code replication-lag.svg}: lag of every probed write over the run (left), and the cumulative
 * distributions of lag (by the hosts' clocks and as a reading client sees it), ACTIVE and write
 * latency (right).
 */
final class LagPlot {
  private static final int MAX_POINTS = 6000;
  private static final String[] COLOURS = {"#1f77b4", "#9467bd", "#d62728", "#2ca02c"};

  private LagPlot() {}

  static String svg(
      String title,
      List<double[]> lagOverTime,
      double seconds,
      double targetMs,
      double p99,
      List<SvgChart.Series> cdfs) {
    SvgChart chart = SvgChart.titled(title);

    double maxLag = lagOverTime.stream().mapToDouble(p -> p[1]).max().orElse(1);
    double lagCeiling =
        SvgChart.niceCeil(Math.max(targetMs * 1.2, Math.min(maxLag, Math.max(p99, 1) * 3)));
    timePanel(chart, 70, 490, lagOverTime, Math.max(seconds, 1), lagCeiling, targetMs, p99);

    // Scaled to the lag curves (all but the last): write latency may run off the right edge, the
    // lag is what the plot is for.
    double cdfCeiling = 1;
    for (SvgChart.Series series : cdfs.subList(0, Math.max(1, cdfs.size() - 1))) {
      for (double[] point : series.cdf()) {
        if (point[1] <= 0.999) {
          cdfCeiling = Math.max(cdfCeiling, point[0]);
        }
      }
    }
    cdfPanel(
        chart, 590, 1010, cdfs, SvgChart.niceCeil(Math.max(cdfCeiling, targetMs * 1.2)), targetMs);
    return chart.end();
  }

  private static void timePanel(
      SvgChart chart,
      int left,
      int right,
      List<double[]> points,
      double seconds,
      double ceiling,
      double targetMs,
      double p99) {
    axes(chart, left, right, seconds, ceiling, "seconds into the measured phase", "ms");
    chart.text(
        (left + right) / 2.0,
        TOP - 8,
        "appended → applied on every host of the cell (hosts' clocks), per write",
        "middle",
        12);
    int stride = Math.max(1, (points.size() + MAX_POINTS - 1) / MAX_POINTS);
    StringBuilder dots = new StringBuilder();
    dots.append("<g fill=\"").append(COLOURS[0]).append("\" fill-opacity=\"0.45\">\n");
    for (int i = 0; i < points.size(); i += stride) {
      double[] p = points.get(i);
      double x = left + (right - left) * Math.min(1, p[0] / seconds);
      boolean clipped = p[1] > ceiling;
      double y = BOTTOM - (BOTTOM - TOP) * Math.min(1, p[1] / ceiling);
      dots.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"%s/>%n",
              x,
              y,
              clipped ? "3" : "1.6",
              clipped ? " fill=\"#d62728\" fill-opacity=\"1\"" : ""));
    }
    chart.raw(dots.append("</g>\n").toString());
    horizontal(chart, left, right, targetMs, ceiling, "#d62728", "target " + fmt(targetMs) + " ms");
    horizontal(chart, left, right, p99, ceiling, "#555555", "p99 " + fmt(p99) + " ms");
    chart.text(
        right,
        BOTTOM + 48,
        stride > 1
            ? "1 in " + stride + " points drawn; red: above the axis"
            : "red: above the axis",
        "end",
        10);
  }

  private static void cdfPanel(
      SvgChart chart,
      int left,
      int right,
      List<SvgChart.Series> series,
      double ceiling,
      double targetMs) {
    axes(chart, left, right, ceiling, 1, "ms", "fraction");
    chart.text((left + right) / 2.0, TOP - 8, "cumulative distribution", "middle", 12);
    if (targetMs <= ceiling) {
      double x = left + (right - left) * targetMs / ceiling;
      chart.dashedLine(x, TOP, x, BOTTOM, "#d62728");
    }
    horizontal(chart, left, right, 0.99, 1, "#555555", "0.99");
    for (int i = 0; i < series.size(); i++) {
      SvgChart.Series one = series.get(i);
      String colour = COLOURS[i % COLOURS.length];
      List<double[]> points = new ArrayList<>();
      for (double[] point : one.cdf()) {
        double x = left + (right - left) * Math.min(1, point[0] / ceiling);
        double y = BOTTOM - (BOTTOM - TOP) * point[1];
        points.add(new double[] {x, y});
      }
      chart.polyline(colour, points);
      double ly = BOTTOM - 60 - 16 * (series.size() - 1 - i);
      chart.legendEntry(right - 290, ly, colour, one.name());
    }
  }

  private static void axes(
      SvgChart chart, int left, int right, double xMax, double yMax, String xLabel, String yLabel) {
    chart.frame(left, right);
    for (int i = 0; i <= 5; i++) {
      double fx = i / 5.0;
      double x = left + (right - left) * fx;
      double y = BOTTOM - (BOTTOM - TOP) * fx;
      chart
          .line(x, TOP, x, BOTTOM, "#eee")
          .line(left, y, right, y, "#eee")
          .text(x, BOTTOM + 16, fmt(xMax * fx), "middle", 11)
          .text(left - 6, y + 4, fmt(yMax * fx), "end", 11);
    }
    chart
        .text((left + right) / 2.0, BOTTOM + 34, xLabel, "middle", 12)
        .verticalLabel(left - 48, (TOP + BOTTOM) / 2.0, yLabel);
  }

  private static void horizontal(
      SvgChart chart,
      int left,
      int right,
      double value,
      double ceiling,
      String colour,
      String label) {
    if (value > ceiling || value < 0) {
      return;
    }
    double y = BOTTOM - (BOTTOM - TOP) * value / ceiling;
    chart.dashedLine(left, y, right, y, colour).text(right - 4, y - 4, label, "end", 10, colour);
  }

  private static String fmt(double v) {
    if (v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, v < 1 ? "%.2f" : "%.1f", v);
  }
}
