package dev.coffer.benchmark;

import java.util.List;
import java.util.Locale;

/**
 * {@code replication-lag.svg}: lag of every probed write over the run (left), and the cumulative
 * distributions of lag (by the hosts' clocks and as a reading client sees it), ACTIVE and write
 * latency (right). Plain SVG text, so that the file opens in any browser and the build needs no
 * plotting library.
 */
final class LagPlot {
  private static final int WIDTH = 1040;
  private static final int HEIGHT = 440;
  private static final int TOP = 50;
  private static final int BOTTOM = 370;
  private static final int MAX_POINTS = 6000;
  private static final String[] COLOURS = {"#1f77b4", "#9467bd", "#d62728", "#2ca02c"};

  /** One CDF curve: (milliseconds, fraction) points. */
  record Series(String name, List<double[]> cdf) {}

  private LagPlot() {}

  static String svg(
      String title,
      List<double[]> lagOverTime,
      double seconds,
      double targetMs,
      double p99,
      List<Series> cdfs) {
    StringBuilder s = startDocument(title);

    double maxLag = lagOverTime.stream().mapToDouble(p -> p[1]).max().orElse(1);
    double lagCeiling = niceCeil(Math.max(targetMs * 1.2, Math.min(maxLag, Math.max(p99, 1) * 3)));
    timePanel(s, 70, 490, lagOverTime, Math.max(seconds, 1), lagCeiling, targetMs, p99);

    // Scaled to the lag curves (all but the last): write latency may run off the right edge, the
    // lag is what the plot is for.
    double cdfCeiling = 1;
    for (Series series : cdfs.subList(0, Math.max(1, cdfs.size() - 1))) {
      for (double[] point : series.cdf()) {
        if (point[1] <= 0.999) {
          cdfCeiling = Math.max(cdfCeiling, point[0]);
        }
      }
    }
    cdfPanel(s, 590, 1010, cdfs, niceCeil(Math.max(cdfCeiling, targetMs * 1.2)), targetMs);
    s.append("</svg>\n");
    return s.toString();
  }

  private static void timePanel(
      StringBuilder s,
      int left,
      int right,
      List<double[]> points,
      double seconds,
      double ceiling,
      double targetMs,
      double p99) {
    axes(s, left, right, seconds, ceiling, "seconds into the measured phase", "ms");
    s.append(
        text(
            (left + right) / 2.0,
            TOP - 8,
            "appended → applied on every host of the cell (hosts' clocks), per write",
            "middle",
            12));
    int stride = Math.max(1, (points.size() + MAX_POINTS - 1) / MAX_POINTS);
    s.append("<g fill=\"").append(COLOURS[0]).append("\" fill-opacity=\"0.45\">\n");
    for (int i = 0; i < points.size(); i += stride) {
      double[] p = points.get(i);
      double x = left + (right - left) * Math.min(1, p[0] / seconds);
      boolean clipped = p[1] > ceiling;
      double y = BOTTOM - (BOTTOM - TOP) * Math.min(1, p[1] / ceiling);
      s.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"%s/>%n",
              x,
              y,
              clipped ? "3" : "1.6",
              clipped ? " fill=\"#d62728\" fill-opacity=\"1\"" : ""));
    }
    s.append("</g>\n");
    horizontal(s, left, right, targetMs, ceiling, "#d62728", "target " + fmt(targetMs) + " ms");
    horizontal(s, left, right, p99, ceiling, "#555555", "p99 " + fmt(p99) + " ms");
    if (stride > 1) {
      s.append(
          text(
              right,
              BOTTOM + 48,
              "1 in " + stride + " points drawn; red: above the axis",
              "end",
              10));
    } else {
      s.append(text(right, BOTTOM + 48, "red: above the axis", "end", 10));
    }
  }

  private static void cdfPanel(
      StringBuilder s, int left, int right, List<Series> series, double ceiling, double targetMs) {
    axes(s, left, right, ceiling, 1, "ms", "fraction");
    s.append(text((left + right) / 2.0, TOP - 8, "cumulative distribution", "middle", 12));
    if (targetMs <= ceiling) {
      double x = left + (right - left) * targetMs / ceiling;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\""
                  + " stroke-dasharray=\"4 3\"/>%n",
              x,
              TOP,
              x,
              BOTTOM));
    }
    horizontal(s, left, right, 0.99, 1, "#555555", "0.99");
    for (int i = 0; i < series.size(); i++) {
      Series one = series.get(i);
      String colour = COLOURS[i % COLOURS.length];
      StringBuilder path = new StringBuilder();
      for (double[] point : one.cdf()) {
        double x = left + (right - left) * Math.min(1, point[0] / ceiling);
        double y = BOTTOM - (BOTTOM - TOP) * point[1];
        path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      if (!one.cdf().isEmpty()) {
        s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
            .append(colour)
            .append("\" points=\"")
            .append(path.toString().trim())
            .append("\"/>\n");
      }
      double ly = BOTTOM - 60 - 16 * (series.size() - 1 - i);
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
              right - 290,
              ly,
              right - 270,
              ly,
              colour));
      s.append(text(right - 265, ly + 4, escape(one.name()), "start", 11));
    }
  }

  private static void axes(
      StringBuilder s,
      int left,
      int right,
      double xMax,
      double yMax,
      String xLabel,
      String yLabel) {
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
            left,
            TOP,
            right - left,
            BOTTOM - TOP));
    for (int i = 0; i <= 5; i++) {
      double fx = i / 5.0;
      double x = left + (right - left) * fx;
      double y = BOTTOM - (BOTTOM - TOP) * fx;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
              x,
              TOP,
              x,
              BOTTOM));
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
              left,
              y,
              right,
              y));
      s.append(text(x, BOTTOM + 16, fmt(xMax * fx), "middle", 11));
      s.append(text(left - 6, y + 4, fmt(yMax * fx), "end", 11));
    }
    s.append(text((left + right) / 2.0, BOTTOM + 34, xLabel, "middle", 12));
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 %d %.1f)\">%s</text>%n",
            left - 48,
            (TOP + BOTTOM) / 2.0,
            left - 48,
            (TOP + BOTTOM) / 2.0,
            yLabel));
  }

  private static void horizontal(
      StringBuilder s,
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
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"4"
                + " 3\"/>%n",
            left,
            y,
            right,
            y,
            colour));
    s.append(text(right - 4, y - 4, label, "end", 10, colour));
  }

  private static String text(double x, double y, String content, String anchor, int size) {
    return text(x, y, content, anchor, size, "#222");
  }

  private static String text(
      double x, double y, String content, String anchor, int size, String colour) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\">%s</text>%n",
        x,
        y,
        anchor,
        size,
        colour,
        content);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code value}. */
  static double niceCeil(double value) {
    if (!(value > 0)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * magnitude >= value) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String fmt(double v) {
    if (v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, v < 1 ? "%.2f" : "%.1f", v);
  }

  /** An SVG document of the plots' common size, white, with {@code title} centred on top. */
  static StringBuilder startDocument(String title) {
    StringBuilder s = new StringBuilder();
    s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(text(WIDTH / 2.0, 22, escape(title), "middle", 15));
    return s;
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
