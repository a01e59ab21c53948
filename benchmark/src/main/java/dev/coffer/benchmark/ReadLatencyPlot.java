package dev.coffer.benchmark;

import java.util.List;
import java.util.Locale;

/**
 * {@code read-latency.svg}: cumulative distributions of read latency through the local and the
 * remote accessor, on a logarithmic time axis (the two can differ by an order of magnitude), with
 * the tail drawn on a second panel as percentiles from 90 to 99.99.
 */
final class ReadLatencyPlot {
  private static final int TOP = 50;
  private static final int BOTTOM = 370;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

  private ReadLatencyPlot() {}

  static String svg(String title, List<LagPlot.Series> series) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (LagPlot.Series one : series) {
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
    StringBuilder s = LagPlot.startDocument(title);
    panel(s, 70, 490, series, logMin, logMax, false);
    panel(s, 590, 1010, series, logMin, logMax, true);
    s.append("</svg>\n");
    return s.toString();
  }

  /**
   * @param tail y is the percentile on a log scale of 1 - fraction, from 90% to 99.99%
   */
  private static void panel(
      StringBuilder s,
      int left,
      int right,
      List<LagPlot.Series> series,
      double logMin,
      double logMax,
      boolean tail) {
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
            left,
            TOP,
            right - left,
            BOTTOM - TOP));
    s.append(
        text(
            (left + right) / 2.0,
            TOP - 8,
            tail ? "tail: percentile (log scale)" : "cumulative distribution",
            "middle",
            12));
    for (double decade = logMin; decade <= logMax; decade++) {
      double x = left + (right - left) * (decade - logMin) / (logMax - logMin);
      s.append(line(x, TOP, x, BOTTOM, "#eee"));
      s.append(text(x, BOTTOM + 16, fmt(Math.pow(10, decade)), "middle", 11));
    }
    s.append(text((left + right) / 2.0, BOTTOM + 34, "ms (log scale)", "middle", 12));
    String[] ticks = tail ? new String[] {"90", "99", "99.9", "99.99"} : null;
    if (tail) {
      for (int i = 0; i < ticks.length; i++) {
        double y = BOTTOM - (BOTTOM - TOP) * i / 3.0;
        s.append(line(left, y, right, y, "#eee"));
        s.append(text(left - 6, y + 4, ticks[i], "end", 11));
      }
    } else {
      for (int i = 0; i <= 5; i++) {
        double y = BOTTOM - (BOTTOM - TOP) * i / 5.0;
        s.append(line(left, y, right, y, "#eee"));
        s.append(text(left - 6, y + 4, fmt(i / 5.0), "end", 11));
      }
    }
    for (int i = 0; i < series.size(); i++) {
      LagPlot.Series one = series.get(i);
      StringBuilder points = new StringBuilder();
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
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      String colour = COLOURS[i % COLOURS.length];
      if (points.length() > 0) {
        s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
            .append(colour)
            .append("\" points=\"")
            .append(points.toString().trim())
            .append("\"/>\n");
      }
      if (!tail) {
        // Bottom right: a latency CDF leaves that corner empty.
        double ly = BOTTOM - 20 - 16 * (series.size() - 1 - i);
        s.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%.1f\" width=\"232\" height=\"16\" fill=\"white\""
                    + " fill-opacity=\"0.85\"/>%n",
                right - 234,
                ly - 8));
        s.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\""
                    + " stroke-width=\"2\"/>%n",
                right - 230,
                ly,
                right - 210,
                ly,
                colour));
        s.append(text(right - 205, ly + 4, LagPlot.escape(one.name()), "start", 11));
      }
    }
  }

  private static String line(double x1, double y1, double x2, double y2, String colour) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
        x1,
        y1,
        x2,
        y2,
        colour);
  }

  private static String text(double x, double y, String content, String anchor, int size) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"#222\">%s</text>%n",
        x,
        y,
        anchor,
        size,
        content);
  }

  private static String fmt(double v) {
    if (v >= 1 && v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", Double.toString(v));
  }
}
