package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ResultsJsonTest {
  @Test
  void theFieldNamesOfResultsJsonStayAsTheyWere() throws Exception {
    TreeSet<String> paths = new TreeSet<>();
    collect("", Http.JSON.readTree(ResultsWriter.json(FixedResults.results())), paths);
    Golden.assertMatches("results-json-fields.txt", String.join("\n", paths) + "\n");
  }

  @Test
  void resultsJsonStaysAsItWasForTheSameFigures() throws Exception {
    Golden.assertMatches("results.json", ResultsWriter.json(FixedResults.results()));
  }

  /** Every object field as a dotted path; array elements as {@code []}. */
  private static void collect(String prefix, JsonNode node, Set<String> paths) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
        paths.add(path);
        collect(path, field.getValue(), paths);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        collect(prefix + "[]", element, paths);
      }
    }
  }
}
