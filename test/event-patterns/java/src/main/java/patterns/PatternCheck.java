package patterns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.event.ruler.Machine;

/**
 * Checks the library's EventBridge patterns with event-ruler, AWS's own matching library.
 *
 * Arguments: the patterns file that patterns.ts writes, and the fixtures directory. Every sample
 * event names stage A and lists the rules of stage A it must match; the check runs it, and the
 * same event rewritten to name stage B, against all the rules of both stages, and requires that
 * exactly the listed rules of the event's own stage match.
 *
 * Then it proves that it can fail: for each rule in turn it breaks the pattern (the stage filter
 * pointed at no stage, or the event name changed) and requires the check to find a wrong match
 * or a missing one. Exit status 0 only if every sample is right and every broken pattern is caught.
 */
public final class PatternCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One sample event of one stage, and the rule names (without the stage) it must match. */
  private record Sample(String file, String label, String stage, String event, TreeSet<String> expected) {}

  public static void main(String[] args) throws Exception {
    JsonNode input = JSON.readTree(new File(args[0]));
    Map<String, String> stages = new TreeMap<>();
    input.get("stages").fields().forEachRemaining(e -> stages.put(e.getKey(), e.getValue().asText()));
    Map<String, JsonNode> patterns = new TreeMap<>();
    input.get("patterns").fields().forEachRemaining(e -> patterns.put(e.getKey(), e.getValue()));
    Map<String, String> compositionKeys = new TreeMap<>();
    input.path("compositionKeys").fields().forEachRemaining(e -> compositionKeys.put(e.getKey(), e.getValue().asText()));
    List<Sample> samples = readSamples(new File(args[1]), stages, compositionKeys);

    List<String> failures = check(patterns, samples);
    for (String failure : failures) {
      System.out.println("FAIL " + failure);
    }
    System.out.printf("%d samples (%d events x %d stages) against %d rules: %s%n",
        samples.size(), samples.size() / stages.size(), stages.size(), patterns.size(),
        failures.isEmpty() ? "every event matches exactly the rules of its stage and kind" : failures.size() + " wrong");

    int caught = 0;
    List<String> missed = new ArrayList<>();
    for (Map.Entry<String, JsonNode> rule : patterns.entrySet()) {
      for (Map.Entry<String, JsonNode> mutant : mutants(rule.getValue(), stages).entrySet()) {
        Map<String, JsonNode> broken = new TreeMap<>(patterns);
        broken.put(rule.getKey(), mutant.getValue());
        if (check(broken, samples).isEmpty()) {
          missed.add(rule.getKey() + " with " + mutant.getKey());
        } else {
          caught++;
        }
      }
    }
    for (String m : missed) {
      System.out.println("FAIL a broken pattern went unnoticed: " + m);
    }
    System.out.printf("%d broken patterns, %d caught%n", caught + missed.size(), caught);

    if (!failures.isEmpty() || !missed.isEmpty() || caught == 0) {
      System.exit(1);
    }
    System.out.println("PASS event patterns (event-ruler)");
  }

  /**
   * The samples of every fixture file, once as written (stage A) and once for every other stage;
   * `${compositionKey}` in an event becomes the key of that stage's StageComposition.
   */
  private static List<Sample> readSamples(File dir, Map<String, String> stages, Map<String, String> compositionKeys) throws Exception {
    String stageA = stages.get("A");
    List<Sample> samples = new ArrayList<>();
    File[] files = dir.listFiles((d, name) -> name.endsWith(".json"));
    Arrays.sort(files);
    for (File file : files) {
      JsonNode fixture = JSON.readTree(file);
      if (!fixture.hasNonNull("source")) {
        throw new IllegalStateException(file.getName() + " does not say where its samples come from (source)");
      }
      for (JsonNode sample : fixture.get("samples")) {
        String event = JSON.writeValueAsString(sample.get("event"));
        TreeSet<String> expected = new TreeSet<>();
        sample.get("matches").forEach(m -> expected.add(m.asText()));
        String label = sample.get("event").get("detail-type").asText() + " / " + sample.get("event").path("detail").path("event_name").asText("-");
        for (Map.Entry<String, String> stage : stages.entrySet()) {
          String own = event.replace(stageA, stage.getValue()).replace("${compositionKey}", compositionKeys.getOrDefault(stage.getKey(), "none"));
          samples.add(new Sample(file.getName(), label, stage.getKey(), own, expected));
        }
      }
    }
    return samples;
  }

  /** What is wrong when `patterns` meet `samples`; empty when nothing is. */
  private static List<String> check(Map<String, JsonNode> patterns, List<Sample> samples) throws Exception {
    Machine machine = new Machine();
    for (Map.Entry<String, JsonNode> rule : patterns.entrySet()) {
      machine.addRule(rule.getKey(), JSON.writeValueAsString(rule.getValue()));
    }
    List<String> failures = new ArrayList<>();
    for (Sample sample : samples) {
      TreeSet<String> matched = new TreeSet<>(machine.rulesForJSONEvent(sample.event()));
      TreeSet<String> expected = new TreeSet<>();
      sample.expected().forEach(rule -> expected.add(sample.stage() + "/" + rule));
      if (!matched.equals(expected)) {
        failures.add(String.format("%s, %s, stage %s: matched %s, expected %s", sample.file(), sample.label(), sample.stage(), matched, expected));
      }
    }
    return failures;
  }

  /** Broken versions of a pattern, by what was broken. */
  private static Map<String, JsonNode> mutants(JsonNode pattern, Map<String, String> stages) {
    Map<String, JsonNode> mutants = new TreeMap<>();
    String text = pattern.toString();
    for (String arn : stages.values()) {
      if (text.contains(arn)) {
        mutants.put("its stage filter pointed at another stage", parse(text.replace(arn, arn + "0")));
        ObjectNode unfiltered = pattern.deepCopy();
        unfiltered.remove("resources");
        unfiltered.remove("$or");
        if (unfiltered.has("detail")) {
          ((ObjectNode) unfiltered.get("detail")).remove("stage_arn");
          if (unfiltered.get("detail").isEmpty()) {
            unfiltered.remove("detail");
          }
        }
        mutants.put("no stage filter", unfiltered);
      }
    }
    JsonNode names = pattern.path("detail").path("event_name");
    if (names.isArray()) {
      ObjectNode renamed = pattern.deepCopy();
      ArrayNode changed = JSON.createArrayNode();
      names.forEach(n -> changed.add(n.asText().toLowerCase()));
      ((ObjectNode) renamed.get("detail")).set("event_name", changed);
      mutants.put("its event names in lower case", renamed);
    }
    JsonNode detailTypes = pattern.path("detail-type");
    if (detailTypes.isArray()) {
      ObjectNode retyped = pattern.deepCopy();
      ArrayNode changed = JSON.createArrayNode();
      detailTypes.forEach(n -> changed.add(n.asText() + "s"));
      retyped.set("detail-type", changed);
      mutants.put("a misspelt detail-type", retyped);
    }
    return mutants;
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private PatternCheck() {}
}
