/**
 * The benchmark command: starts a real local deployment, runs the measured phases against it, and
 * writes the results and the report; {@link dev.coffer.benchmark.BenchmarkRun} is the entry point.
 */
package dev.coffer.benchmark;
