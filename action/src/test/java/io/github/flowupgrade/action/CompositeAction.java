package io.github.flowupgrade.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the composite action of {@code action.yml} as GitHub's runner runs one, minus the network: each {@code run}
 * step through {@code bash --noprofile --norc -eo pipefail FILE} in the workspace, with the variables a runner sets
 * ({@code GITHUB_ACTION_PATH}, {@code GITHUB_OUTPUT}, {@code RUNNER_TEMP}...) and the step's {@code env} with its
 * expressions evaluated; outputs read from {@code GITHUB_OUTPUT} (both its forms), {@code GITHUB_ENV} and
 * {@code GITHUB_PATH} applied to the later steps; the printed lines processed for workflow commands
 * ({@code ::add-mask::}, {@code ::stop-commands::}, {@code ::error::}...) and masked as the log would show them.
 *
 * <p>Steps that {@code uses} another action ({@code actions/setup-java}, {@code actions/cache}) are not run: the
 * test machine has Java, and the cache is what {@code build-flow.sh} finds on disk. Their {@code if} is evaluated, so a
 * test can see whether a runner would run them. Expressions are limited to context paths ({@code inputs.x},
 * {@code steps.id.outputs.y}, {@code github.z}, {@code runner.temp}), quoted literals, {@code ==}, {@code !=} and
 * {@code &&}; anything else fails the test, so action.yml stays within what is tested here.
 */
final class CompositeAction {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.*?)\\s*}}");
    private static final Pattern PATH = Pattern.compile("[a-z_]+(\\.[A-Za-z0-9_-]+)+");

    private final Path actionPath;
    private final JsonNode action;

    private CompositeAction(Path actionPath, JsonNode action) {
        this.actionPath = actionPath;
        this.action = action;
    }

    /** The action at the root of {@code repository}. */
    static CompositeAction load(Path repository) {
        try {
            JsonNode action = YAML.readTree(repository.resolve("action.yml").toFile());
            if (!action.path("runs").path("using").asText().equals("composite")) {
                throw new IllegalStateException("action.yml is not a composite action");
            }
            return new CompositeAction(repository, action);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode metadata() {
        return action;
    }

    /**
     * Where and as what the action runs.
     *
     * @param workspace {@code GITHUB_WORKSPACE}, the steps' working directory
     * @param temp {@code RUNNER_TEMP}
     * @param github the {@code github} context ({@code run_id}, {@code repository}, {@code api_url}, {@code token}...)
     * @param env more variables for every step (on top of PATH, HOME and JAVA_HOME of this JVM)
     * @param stepTimeout how long one step may take
     * @param onStepStart told of each run step's process as it starts (a test cancels the job through it)
     */
    record Runner(
            Path workspace,
            Path temp,
            Map<String, String> github,
            Map<String, String> env,
            Duration stepTimeout,
            Consumer<Process> onStepStart) {}

    /** A workflow command the runner acted on. */
    record Command(String name, String parameters, String value) {}

    /** One step: its name, whether it ran (or was a {@code uses} step, or skipped by its {@code if}) and its exit code. */
    record Step(String name, String uses, boolean ran, int exitCode) {}

    /**
     * What a run left.
     *
     * @param exitCode the failing step's exit code, or 0
     * @param outputs the action's outputs, as the workflow sees them
     * @param printed every line the steps printed that the runner shows (workflow commands it acted on left out),
     *     before masking: what must never hold a secret
     * @param log the same lines masked, as the log page shows them
     * @param masks the values registered with {@code ::add-mask::}
     * @param commands the workflow commands the runner acted on
     * @param steps every step in order
     * @param summary what the steps appended to the job summary
     */
    record Run(
            int exitCode,
            Map<String, String> outputs,
            String printed,
            String log,
            List<String> masks,
            List<Command> commands,
            List<Step> steps,
            String summary) {
        String output(String name) {
            if (!outputs.containsKey(name)) {
                throw new IllegalArgumentException("action.yml has no output " + name);
            }
            return outputs.get(name);
        }

        /** Whether the step using {@code action} (owner/name) would have run. */
        boolean wouldRun(String actionName) {
            return steps.stream()
                    .filter(s -> s.uses() != null && s.uses().startsWith(actionName + "@"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no step uses " + actionName))
                    .ran();
        }
    }

    /** Runs every step with the inputs of {@code with} (names as in action.yml). */
    Run run(Map<String, String> with, Runner runner) throws IOException, InterruptedException {
        Map<String, String> inputs = inputs(with, runner);
        Map<String, Map<String, String>> stepOutputs = new LinkedHashMap<>();
        Map<String, String> extraEnv = new LinkedHashMap<>();
        List<String> extraPath = new ArrayList<>();
        Log log = new Log();
        List<Step> steps = new ArrayList<>();
        Path summary = Files.createTempFile(runner.temp(), "step-summary-", ".md");
        int exitCode = 0;
        int index = 0;
        for (JsonNode step : action.path("runs").path("steps")) {
            index++;
            String name = step.path("name").asText("step " + index);
            String id = step.path("id").asText("__step" + index);
            Context context = new Context(inputs, stepOutputs, runner);
            boolean condition =
                    !step.has("if") || context.condition(step.path("if").asText());
            if (step.has("uses")) {
                steps.add(new Step(name, step.path("uses").asText(), condition && exitCode == 0, -1));
                continue;
            }
            if (!condition || exitCode != 0) {
                steps.add(new Step(name, null, false, -1));
                continue;
            }
            if (!step.path("shell").asText().equals("bash")) {
                throw new IllegalStateException(name + ": the harness runs shell: bash steps only");
            }
            String script = step.path("run").asText();
            if (script.contains("${{")) {
                throw new IllegalStateException(name + ": an expression inside run: (pass it through env:)");
            }
            Path output = Files.createTempFile(runner.temp(), "output-", "");
            Path envFile = Files.createTempFile(runner.temp(), "env-", "");
            Path pathFile = Files.createTempFile(runner.temp(), "path-", "");
            Path scriptFile = Files.createTempFile(runner.temp(), "step-", ".sh");
            Files.writeString(scriptFile, script);
            ProcessBuilder builder = new ProcessBuilder(
                            "bash", "--noprofile", "--norc", "-eo", "pipefail", scriptFile.toString())
                    .directory(runner.workspace().toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", String.join(":", extraPath) + (extraPath.isEmpty() ? "" : ":") + System.getenv("PATH"));
            env.put("HOME", System.getProperty("user.home"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("LANG", "C.UTF-8");
            env.put("CI", "true");
            env.put("GITHUB_ACTIONS", "true");
            env.put("RUNNER_OS", "Linux");
            env.put("RUNNER_TEMP", runner.temp().toString());
            env.put("GITHUB_WORKSPACE", runner.workspace().toString());
            env.put("GITHUB_ACTION_PATH", actionPath.toString());
            env.put("GITHUB_OUTPUT", output.toString());
            env.put("GITHUB_ENV", envFile.toString());
            env.put("GITHUB_PATH", pathFile.toString());
            env.put("GITHUB_STEP_SUMMARY", summary.toString());
            runner.github().forEach((key, value) -> {
                if (!key.equals("token")) {
                    env.put("GITHUB_" + key.toUpperCase(), value);
                }
            });
            env.putAll(runner.env());
            env.putAll(extraEnv);
            for (Iterator<Map.Entry<String, JsonNode>> it = step.path("env").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                env.put(entry.getKey(), context.interpolate(entry.getValue().asText()));
            }
            Process process = builder.start();
            runner.onStepStart().accept(process);
            process.getOutputStream().close();
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.line(line);
                }
            }
            if (!process.waitFor(runner.stepTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + runner.stepTimeout());
            }
            int code = process.exitValue();
            steps.add(new Step(name, null, true, code));
            stepOutputs.put(id, keyValues(output));
            extraEnv.putAll(keyValues(envFile));
            Files.readAllLines(pathFile).stream().filter(l -> !l.isBlank()).forEach(l -> extraPath.add(0, l));
            if (code != 0) {
                exitCode = code;
            }
        }
        Context context = new Context(inputs, stepOutputs, runner);
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = action.path("outputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            outputs.put(
                    entry.getKey(),
                    context.interpolate(entry.getValue().path("value").asText()));
        }
        return new Run(
                exitCode,
                outputs,
                String.join("\n", log.printed),
                String.join("\n", log.masked()),
                List.copyOf(log.masks),
                List.copyOf(log.commands),
                steps,
                Files.readString(summary));
    }

    private Map<String, String> inputs(Map<String, String> with, Runner runner) {
        JsonNode declared = action.path("inputs");
        for (String name : with.keySet()) {
            if (!declared.has(name)) {
                throw new IllegalArgumentException("action.yml has no input " + name);
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        Context defaults = new Context(Map.of(), Map.of(), runner);
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String value = with.get(entry.getKey());
            inputs.put(
                    entry.getKey(),
                    value != null
                            ? value
                            : defaults.interpolate(
                                    entry.getValue().path("default").asText("")));
        }
        return inputs;
    }

    /** {@code name=value} and {@code name<<DELIMITER} ... {@code DELIMITER} lines, as the runner reads them. */
    static Map<String, String> keyValues(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            int heredoc = line.indexOf("<<");
            int equals = line.indexOf('=');
            if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
                String delimiter = line.substring(heredoc + 2);
                List<String> value = new ArrayList<>();
                i++;
                while (i < lines.size() && !lines.get(i).equals(delimiter)) {
                    value.add(lines.get(i++));
                }
                if (i == lines.size()) {
                    throw new IllegalStateException("no closing " + delimiter + " in " + file);
                }
                values.put(line.substring(0, heredoc), String.join("\n", value));
            } else if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            } else {
                throw new IllegalStateException("the runner cannot read line " + (i + 1) + " of " + file);
            }
        }
        return values;
    }

    /** The expression contexts a step sees. */
    private record Context(Map<String, String> inputs, Map<String, Map<String, String>> steps, Runner runner) {
        String interpolate(String text) {
            Matcher m = EXPRESSION.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(
                        out, Matcher.quoteReplacement(value(m.group(1).strip())));
            }
            m.appendTail(out);
            return out.toString();
        }

        boolean condition(String expression) {
            String e = expression.strip();
            if (e.startsWith("${{") && e.endsWith("}}")) {
                e = e.substring(3, e.length() - 2).strip();
            }
            for (String part : e.split("&&")) {
                String[] sides = part.split("==|!=", 2);
                if (sides.length != 2) {
                    throw new IllegalStateException("the harness cannot evaluate the condition: " + expression);
                }
                boolean equal = operand(sides[0]).equals(operand(sides[1]));
                if (equal != part.contains("==")) {
                    return false;
                }
            }
            return true;
        }

        private String operand(String text) {
            String t = text.strip();
            if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
                return t.substring(1, t.length() - 1).replace("''", "'");
            }
            return value(t);
        }

        private String value(String path) {
            if (!PATH.matcher(path).matches()) {
                throw new IllegalStateException("the harness evaluates context paths only, not: " + path);
            }
            String[] parts = path.split("\\.");
            return switch (parts[0]) {
                case "inputs" -> require(inputs, parts[1], path);
                case "github" -> require(runner.github(), parts[1], path);
                case "runner" ->
                    switch (parts[1]) {
                        case "temp" -> runner.temp().toString();
                        case "os" -> "Linux";
                        default -> throw new IllegalStateException("unknown context value " + path);
                    };
                case "steps" -> {
                    if (parts.length != 4 || !parts[2].equals("outputs")) {
                        throw new IllegalStateException("the harness reads steps.ID.outputs.NAME, not " + path);
                    }
                    yield steps.getOrDefault(parts[1], Map.of()).getOrDefault(parts[3], "");
                }
                default -> throw new IllegalStateException("unknown context " + path);
            };
        }

        private static String require(Map<String, String> map, String key, String path) {
            String value = map.get(key);
            if (value == null) {
                throw new IllegalStateException(path + " is not set in the harness");
            }
            return value;
        }
    }

    /**
     * The runner's side of the step output, as actions/runner's ActionCommandManager reads it: a line is a command
     * when, leading blanks trimmed, it starts with {@code ::name ...::} (or holds {@code ##[name ...]} anywhere, the
     * old form) and {@code name} is a command the runner knows; once {@code ::stop-commands::TOKEN} came, only
     * {@code ::TOKEN::} is one.
     */
    private static final class Log {
        private static final Set<String> KNOWN = Set.of(
                "add-mask",
                "stop-commands",
                "error",
                "warning",
                "notice",
                "debug",
                "group",
                "endgroup",
                "echo",
                "set-output",
                "set-env",
                "save-state",
                "add-path",
                "add-matcher",
                "remove-matcher");
        private static final Pattern V2 = Pattern.compile("^::([^ :]+)( [^:]*)?::(.*)$");
        private static final Pattern V1 = Pattern.compile("##\\[([^ \\]]+)( [^\\]]*)?](.*)$");

        final List<String> printed = new ArrayList<>();
        final List<String> masks = new ArrayList<>();
        final List<Command> commands = new ArrayList<>();
        String stopToken;

        void line(String line) {
            Command command = parse(line);
            if (stopToken != null) {
                if (command != null && command.name().equalsIgnoreCase(stopToken)) {
                    commands.add(new Command("resume-commands", "", stopToken));
                    stopToken = null;
                } else {
                    printed.add(line);
                }
                return;
            }
            if (command == null || !KNOWN.contains(command.name())) {
                printed.add(line);
                return;
            }
            commands.add(command);
            switch (command.name()) {
                case "add-mask" -> masks.add(command.value());
                case "stop-commands" -> stopToken = command.value();
                case "debug" -> {}
                case "error", "warning", "notice" -> printed.add(command.name() + ": " + command.value());
                default -> printed.add(line);
            }
        }

        private static Command parse(String line) {
            Matcher v2 = V2.matcher(line.stripLeading());
            if (v2.matches()) {
                return new Command(
                        v2.group(1), v2.group(2) == null ? "" : v2.group(2).strip(), v2.group(3));
            }
            Matcher v1 = V1.matcher(line);
            if (v1.find()) {
                return new Command(
                        v1.group(1), v1.group(2) == null ? "" : v1.group(2).strip(), v1.group(3));
            }
            return null;
        }

        List<String> masked() {
            List<String> byLength = masks.stream()
                    .filter(m -> !m.isEmpty())
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
            List<String> out = new ArrayList<>();
            for (String line : printed) {
                String shown = line;
                for (String mask : byLength) {
                    shown = shown.replace(mask, "***");
                }
                out.add(shown);
            }
            return out;
        }
    }
}
