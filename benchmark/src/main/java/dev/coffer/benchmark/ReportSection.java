package dev.coffer.benchmark;

/** One section of {@code results.md}: a heading, its text and tables, and a blank line after. */
interface ReportSection {
  void write(StringBuilder out, Results results);
}
