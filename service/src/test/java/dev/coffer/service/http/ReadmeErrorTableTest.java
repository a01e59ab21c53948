package dev.coffer.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's error table is the client's contract: every code, each under its one status. */
class ReadmeErrorTableTest {
  @Test
  void theReadmeListsEveryErrorCodeUnderTheStatusItIsSentWith() throws IOException {
    Map<String, Integer> documented = errorTable(readme());

    Map<String, Integer> sent =
        Arrays.stream(ErrorCode.values())
            .collect(
                Collectors.toMap(
                    ErrorCode::name, ErrorCode::status, (a, b) -> a, LinkedHashMap::new));
    assertThat(documented).containsExactlyInAnyOrderEntriesOf(sent);
  }

  /** Code → status from the rows {@code | status | `CODE` | when |} after the Errors paragraph. */
  static Map<String, Integer> errorTable(List<String> readme) {
    int start = 0;
    while (start < readme.size() && !readme.get(start).startsWith("**Errors**")) {
      start++;
    }
    assertThat(start).as("the README has an **Errors** paragraph").isLessThan(readme.size());
    int line = start;
    while (line < readme.size() && !readme.get(line).startsWith("| Status | Code |")) {
      line++;
    }
    Map<String, Integer> table = new LinkedHashMap<>();
    for (line += 2; line < readme.size() && readme.get(line).startsWith("|"); line++) {
      String[] cells = readme.get(line).split("\\|", -1);
      String code = cells[2].trim().replace("`", "");
      assertThat(table).as("%s is listed once", code).doesNotContainKey(code);
      table.put(code, Integer.valueOf(cells[1].trim()));
    }
    assertThat(table).as("the error table has rows").isNotEmpty();
    return table;
  }

  private static List<String> readme() throws IOException {
    // Tests run in the module's directory; the README is at the repository's root.
    Path readme = Path.of("..", "README.md");
    return Files.readAllLines(readme);
  }
}
