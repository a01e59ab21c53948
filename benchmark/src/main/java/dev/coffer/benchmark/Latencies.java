package dev.coffer.benchmark;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A thread-safe latency histogram in microseconds. HdrHistogram rather than a sample list, so that
 * the tail percentiles are exact to three significant digits whatever the count.
 */
final class Latencies {
  private static final long MAX_MICROS = 120_000_000L;

  private final Histogram histogram = new Histogram(MAX_MICROS, 3);

  synchronized void recordNanos(long nanos) {
    long micros = Math.max(0, nanos / 1_000);
    histogram.recordValue(Math.min(micros, MAX_MICROS));
  }

  synchronized void add(Latencies other) {
    Histogram copy;
    synchronized (other) {
      copy = other.histogram.copy();
    }
    histogram.add(copy);
  }

  synchronized long count() {
    return histogram.getTotalCount();
  }

  synchronized Summary summary() {
    if (histogram.getTotalCount() == 0) {
      return new Summary(0, 0, 0, 0, 0, 0, 0, 0);
    }
    return new Summary(
        histogram.getTotalCount(),
        ms(histogram.getMean()),
        ms((double) histogram.getMinValue()),
        ms((double) histogram.getValueAtPercentile(50)),
        ms((double) histogram.getValueAtPercentile(90)),
        ms((double) histogram.getValueAtPercentile(99)),
        ms((double) histogram.getValueAtPercentile(99.9)),
        ms((double) histogram.getMaxValue()));
  }

  /** The distribution as (milliseconds, cumulative fraction) points, for a CDF plot. */
  synchronized List<double[]> cdf(int points) {
    List<double[]> out = new ArrayList<>();
    if (histogram.getTotalCount() == 0) {
      return out;
    }
    for (int i = 0; i <= points; i++) {
      // Denser towards the tail, where the interesting part of a latency CDF is.
      double fraction = 1 - Math.pow(1 - (double) i / points, 3);
      double percentile = Math.min(100.0, fraction * 100.0);
      out.add(new double[] {ms((double) histogram.getValueAtPercentile(percentile)), fraction});
    }
    return out;
  }

  private static double ms(double micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  /**
   * Milliseconds, two decimals. The minimum is kept because for a probe it is the floor its own
   * round trip puts under every figure.
   */
  record Summary(
      long count,
      double mean,
      double min,
      double p50,
      double p90,
      double p99,
      double p999,
      double max) {}
}
