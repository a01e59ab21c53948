package dev.coffer.benchmark;

import java.util.List;
import java.util.Locale;

/**
 * An SVG document of the plots' common size, written as plain text so that the file opens in any
 * browser and the build needs no plotting library: a title, then panels of frames, lines, text and
 * curves. Coordinates given as {@code int} are written as integers, {@code double}s with one
 * decimal.
 */
final class SvgChart {
  static final int WIDTH = 1040;
  static final int HEIGHT = 440;

  /** The panels' top and bottom edge. */
  static final int TOP = 50;

  static final int BOTTOM = 370;

  /** One CDF curve: (milliseconds, fraction) points. */
  record Series(String name, List<double[]> cdf) {}

  private final StringBuilder s = new StringBuilder();

  private SvgChart() {}

  /** A white document with {@code title} centred on top. */
  static SvgChart titled(String title) {
    SvgChart chart = new SvgChart();
    chart.s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    chart.s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    chart.s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    return chart.text(WIDTH / 2.0, 22, escape(title), "middle", 15);
  }

  /** A panel's grey frame from {@code left} to {@code right}, {@link #TOP} to {@link #BOTTOM}. */
  SvgChart frame(int left, int right) {
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
            left,
            TOP,
            right - left,
            BOTTOM - TOP));
    return this;
  }

  SvgChart text(double x, double y, String content, String anchor, int size) {
    return text(x, y, content, anchor, size, "#222");
  }

  SvgChart text(double x, double y, String content, String anchor, int size, String colour) {
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\">%s</text>%n",
            x,
            y,
            anchor,
            size,
            colour,
            content));
    return this;
  }

  /** An axis label turned to read upwards, centred on ({@code x}, {@code y}). */
  SvgChart verticalLabel(int x, double y, String content) {
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 %d %.1f)\">%s</text>%n",
            x,
            y,
            x,
            y,
            content));
    return this;
  }

  SvgChart line(Number x1, Number y1, Number x2, Number y2, String colour) {
    return line(x1, y1, x2, y2, colour, "");
  }

  SvgChart dashedLine(Number x1, Number y1, Number x2, Number y2, String colour) {
    return line(x1, y1, x2, y2, colour, " stroke-dasharray=\"4 3\"");
  }

  private SvgChart line(
      Number x1, Number y1, Number x2, Number y2, String colour, String attributes) {
    s.append("<line x1=\"")
        .append(coordinate(x1))
        .append("\" y1=\"")
        .append(coordinate(y1))
        .append("\" x2=\"")
        .append(coordinate(x2))
        .append("\" y2=\"")
        .append(coordinate(y2))
        .append("\" stroke=\"")
        .append(colour)
        .append('"')
        .append(attributes)
        .append("/>\n");
    return this;
  }

  /** A curve through (x, y) points in the document's coordinates; nothing without points. */
  SvgChart polyline(String colour, List<double[]> points) {
    if (points.isEmpty()) {
      return this;
    }
    StringBuilder path = new StringBuilder();
    for (double[] p : points) {
      path.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
    }
    s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
        .append(colour)
        .append("\" points=\"")
        .append(path.toString().trim())
        .append("\"/>\n");
    return this;
  }

  /** A legend entry: a short stroke of the curve's colour from {@code x}, then its name. */
  SvgChart legendEntry(int x, double y, String colour, String name) {
    line(x, y, x + 20, y, colour, " stroke-width=\"2\"");
    return text(x + 25, y + 4, escape(name), "start", 11);
  }

  /** Markup this class has no element for, as it is. */
  SvgChart raw(String markup) {
    s.append(markup);
    return this;
  }

  /** The finished document. */
  String end() {
    return s.append("</svg>\n").toString();
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

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String coordinate(Number value) {
    return value instanceof Integer
        ? value.toString()
        : String.format(Locale.ROOT, "%.1f", value.doubleValue());
  }
}
