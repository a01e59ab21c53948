package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.deployment.CofferHttpClient.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs the README's tour — every {@code curl} in the shell blocks from "Try it" on, in order —
 * against a local deployment, so that an example cannot go stale: each command must succeed, and
 * where the README shows an answer ({@code # {…}} under a command) the real answer has the same
 * fields with the same values, times and tokens aside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeTourIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern README_URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");

  /** Fields whose values differ from run to run: only their presence is compared. */
  private static final Set<String> VARYING =
      Set.of(
          "createdAt", "updatedAt", "registeredAt", "reportedAt", "recordedAt", "replicationToken");

  private LocalCluster cluster;
  private CofferHttpClient client;

  @BeforeAll
  void start() {
    // One shard with two hosts is all the tour needs (it goes through the router), at half the
    // start-up.
    cluster = LocalCluster.start(LocalCluster.Options.forTests().withShape(1, 2));
    client = new CofferHttpClient(cluster.adminToken(), true);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One curl of the README and the answer printed under it, if any. */
  record Step(String line, List<String> words, String expected) {}

  @Test
  void everyExampleOfTheTourWorksAndAnswersAsShown() throws Exception {
    List<Step> steps = steps(Files.readString(readme()));
    assertThat(steps).as("the tour's commands").hasSizeGreaterThan(10);
    assertThat(steps.stream().filter(s -> s.expected() != null))
        .as("the tour shows answers")
        .hasSizeGreaterThanOrEqualTo(3);
    for (Step step : steps) {
      Reply reply = runWithPatience(step);
      assertThat(reply.status())
          .as("%s answered %s", step.line(), reply.body())
          .isBetween(200, 299);
      if (step.expected() != null) {
        JsonNode expected = JSON.readTree(step.expected());
        List<String> differences = new ArrayList<>();
        compare("", expected, reply.json(), differences);
        assertThat(differences).as("%s answered %s", step.line(), reply.body()).isEmpty();
      }
    }
  }

  /**
   * Asynchronous steps (a key version can be destroyed only once its rewrap has finished) are
   * retried while they answer 409, as a reader of the README would.
   */
  private Reply runWithPatience(Step step) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    Reply reply = run(step);
    while (reply.status() == 409 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      reply = run(step);
    }
    return reply;
  }

  private Reply run(Step step) {
    String method = null;
    String url = null;
    String body = null;
    HttpRequest.Builder request = HttpRequest.newBuilder();
    for (Iterator<String> words = step.words().subList(1, step.words().size()).iterator();
        words.hasNext(); ) {
      String word = words.next();
      switch (word) {
        case "-s" -> {}
        case "-X" -> method = words.next();
        case "-H" -> {
          String[] header = words.next().split(":\\s*", 2);
          if (!header[0].equalsIgnoreCase("Authorization")) {
            request.header(header[0], header[1]);
          }
        }
        case "-d" -> body = words.next();
        default -> {
          assertThat(url).as("one URL in %s", step.line()).isNull();
          url = word;
        }
      }
    }
    assertThat(url).as("a URL in %s", step.line()).isNotNull();
    if (method == null) {
      method = body == null ? "GET" : "POST"; // curl's own default
    }
    request
        .uri(URI.create(deploymentUrl(url)))
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    return client.send(request, cluster.adminToken());
  }

  /**
   * The README's ports are the dev deployment's defaults: the control plane 8400, the router 8402,
   * hosts from 8410 by twos.
   */
  private String deploymentUrl(String readmeUrl) {
    Matcher m = README_URL.matcher(readmeUrl);
    assertThat(m.lookingAt()).as("a local URL: %s", readmeUrl).isTrue();
    int port = Integer.parseInt(m.group(1));
    String base =
        switch (port) {
          case 8400 -> cluster.controlPlaneUrl();
          case 8402 -> cluster.routerUrl();
          default -> cluster.hosts().get((port - 8410) / 2).url();
        };
    return base + readmeUrl.substring(m.end());
  }

  private static void compare(
      String path, JsonNode expected, JsonNode actual, List<String> differences) {
    if (actual == null || actual.isMissingNode()) {
      differences.add(path + ": missing");
      return;
    }
    if (expected.isObject()) {
      Set<String> names = new java.util.TreeSet<>();
      expected.fieldNames().forEachRemaining(names::add);
      Set<String> actualNames = new java.util.TreeSet<>();
      actual.fieldNames().forEachRemaining(actualNames::add);
      if (!names.equals(actualNames)) {
        differences.add(path + ": fields " + actualNames + ", the README shows " + names);
      }
      for (String name : names) {
        if (VARYING.contains(name) || "…".equals(expected.get(name).asText())) {
          continue;
        }
        compare(path + "." + name, expected.get(name), actual.get(name), differences);
      }
    } else if (!expected.equals(actual)) {
      differences.add(path + ": " + actual + ", the README shows " + expected);
    }
  }

  /** Every curl of the shell blocks from the "Try it" section on, each with its shown answer. */
  static List<Step> steps(String readme) {
    String tour = readme.substring(readme.indexOf("## Try it"));
    List<Step> steps = new ArrayList<>();
    Matcher blocks = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(tour);
    while (blocks.find()) {
      String joined = blocks.group(1).replace("\\\n", " ");
      for (String raw : joined.split("\n", -1)) {
        String line = raw.strip();
        if (line.startsWith("curl ")) {
          steps.add(new Step(line, words(line), null));
        } else if (line.startsWith("# {") && !steps.isEmpty()) {
          Step last = steps.remove(steps.size() - 1);
          steps.add(new Step(last.line(), last.words(), line.substring(2)));
        }
      }
    }
    return steps;
  }

  /**
   * A shell line as words: single and double quotes, {@code $COFFER_TOKEN} left as it is (the token
   * is sent separately), and an unquoted {@code #} starting a comment.
   */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (c == '#' && word == null) {
        break;
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  private static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve(".ci"))) {
        return dir.resolve("README.md");
      }
    }
    throw new IllegalStateException("the repository's README.md was not found");
  }
}
