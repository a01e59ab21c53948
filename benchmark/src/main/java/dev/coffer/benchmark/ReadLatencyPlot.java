package dev.coffer.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code read-latency.svg}: cumulative distributions of read latency through the local and the
 * remote accessor, on a logarithmic time axis (the two can differ by an order of magnitude), with
 * the tail drawn on a second panel as percentiles from 90 to 99.99.
 */
final class ReadLatencyPlot {
  /** As doubles: this plot's lines are written with one decimal throughout. */
  private static final double TOP = SvgChart.TOP;

  private static final double BOTTOM = SvgChart.BOTTOM;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

  private ReadLatencyPlot() {}

  static String svg(String title, List<SvgChart.Series> series) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (SvgChart.Series one : series) {
      for (double[] p : one.cdf()) {
        if (p[0] > 0) {
          min = Math.min(min, p[0]);
        }
        max = Math.max(max, p[0]);
      }
    }
    if (max <= 0) {
      min = 0.1;
      max = 1;
    }
    double logMin = Math.floor(Math.log10(Math.max(min, 0.01)));
    double logMax = Math.ceil(Math.log10(Math.max(max, Math.pow(10, logMin + 1))));
    SvgChart chart = SvgChart.titled(title);
    panel(chart, 70, 490, series, logMin, logMax, false);
    panel(chart, 590, 1010, series, logMin, logMax, true);
    return chart.end();
  }

  /**
   * @param tail y is the percentile on a log scale of 1 - fraction, from 90% to 99.99%
   */
  private static void panel(
      SvgChart chart,
      int left,
      int right,
      List<SvgChart.Series> series,
      double logMin,
      double logMax,
      boolean tail) {
    // Its grid lines have always been written with one decimal, the panel's edges included.
    double l = left;
    double r = right;
    chart.frame(left, right);
    chart.text(
        (left + right) / 2.0,
        TOP - 8,
        tail ? "tail: percentile (log scale)" : "cumulative distribution",
        "middle",
        12);
    for (double decade = logMin; decade <= logMax; decade++) {
      double x = left + (right - left) * (decade - logMin) / (logMax - logMin);
      chart.line(x, TOP, x, BOTTOM, "#eee");
      chart.text(x, BOTTOM + 16, fmt(Math.pow(10, decade)), "middle", 11);
    }
    chart.text((left + right) / 2.0, BOTTOM + 34, "ms (log scale)", "middle", 12);
    if (tail) {
      String[] ticks = {"90", "99", "99.9", "99.99"};
      for (int i = 0; i < ticks.length; i++) {
        double y = BOTTOM - (BOTTOM - TOP) * i / 3.0;
        chart.line(l, y, r, y, "#eee").text(left - 6, y + 4, ticks[i], "end", 11);
      }
    } else {
      for (int i = 0; i <= 5; i++) {
        double y = BOTTOM - (BOTTOM - TOP) * i / 5.0;
        chart.line(l, y, r, y, "#eee").text(left - 6, y + 4, fmt(i / 5.0), "end", 11);
      }
    }
    curves(chart, left, right, series, logMin, logMax, tail);
  }

  /** Each series' curve, and on the first panel its legend entry. */
  private static void curves(
      SvgChart chart,
      int left,
      int right,
      List<SvgChart.Series> series,
      double logMin,
      double logMax,
      boolean tail) {
    for (int i = 0; i < series.size(); i++) {
      SvgChart.Series one = series.get(i);
      List<double[]> points = new ArrayList<>();
      for (double[] p : one.cdf()) {
        double fraction;
        if (tail) {
          if (p[1] < 0.9) {
            continue;
          }
          // 0.9 → 0, 0.99 → 1/3, 0.999 → 2/3, 0.9999 and above → 1.
          fraction = Math.min(1, (-Math.log10(Math.max(1 - p[1], 1e-4)) - 1) / 3);
        } else {
          fraction = p[1];
        }
        double logX = Math.log10(Math.max(p[0], Math.pow(10, logMin)));
        double x = left + (right - left) * (logX - logMin) / (logMax - logMin);
        double y = BOTTOM - (BOTTOM - TOP) * fraction;
        points.add(new double[] {x, y});
      }
      String colour = COLOURS[i % COLOURS.length];
      chart.polyline(colour, points);
      if (!tail) {
        // Bottom right: a latency CDF leaves that corner empty.
        double ly = BOTTOM - 20 - 16 * (series.size() - 1 - i);
        chart.raw(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%.1f\" width=\"232\" height=\"16\" fill=\"white\""
                    + " fill-opacity=\"0.85\"/>%n",
                right - 234,
                ly - 8));
        chart.legendEntry(right - 230, ly, colour, one.name());
      }
    }
  }

  private static String fmt(double v) {
    if (v >= 1 && v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", Double.toString(v));
  }
}
