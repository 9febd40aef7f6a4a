package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/api.md and docs/management-api.md are executable: the {@code ```bash} blocks of each run in order, as one bash
 * script, against the running service (real PostgreSQL, real model), and every request must get the status written
 * after it ({@code # → 201 …}; {@code # → 200+} is a poll, one or more 200s) and the members of the body shown after
 * the status ({@link #bodyDifferences}). A reference whose examples are not run
 * drifts from the service unnoticed; this keeps the two together. The test also fails when an endpoint of the
 * application has no curl example in the reference, so a new endpoint cannot ship undocumented.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiReferenceIT {

    static final Path REFERENCE = Path.of("docs", "api.md");
    /** The documents whose examples run, each as a user follows it: from the README's first-run account, fresh. */
    static final List<Path> RUN = List.of(REFERENCE, Path.of("docs", "management-api.md"));
    /** The operator key of src/test/resources/config/application.yml; the doc reads it as $TRACKERS_OPERATOR_KEY. */
    static final String OPERATOR_KEY = "test-operator-key";
    /** Jobs and the first embedding of each tracker set take seconds on a loaded 2-core machine; polls wait for them. */
    static final long SCRIPT_TIMEOUT_SECONDS = 300;

    /**
     * Writes each response's status to stderr, then its body (base64, one line), leaving stdout as the doc shows it
     * (bodies piped to sed and grep stay untouched). {@code %{stderr}} needs curl 7.63 or later.
     */
    static final String CURL_FUNCTION = "curl() { local body rc=0; body=$(mktemp); "
            + "command curl -w '%{stderr}HTTP %{http_code}\\n' \"$@\" | tee \"$body\" || rc=$?; "
            + "printf 'BODY %s\\n' \"$(base64 -w0 < \"$body\")\" >&2; rm -f \"$body\"; return $rc; }\n";
    static final String MARKER = "@@api-reference-block ";

    private static final Pattern ANNOTATION = Pattern.compile("^\\s*#\\s*→\\s*(\\d{3})(\\+?)(.*)$", Pattern.MULTILINE);
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP (\\d{3})$");
    private static final Pattern BODY_LINE = Pattern.compile("^BODY ([A-Za-z0-9+/=]*)$");
    /**
     * A JSON member in an annotation's body, with its value where the doc writes it in full: a string without an
     * ellipsis, a number, true, false or null. An ellipsis ({@code …}) stands for what the doc leaves out.
     */
    private static final Pattern DOCUMENTED_MEMBER = Pattern.compile(
            "\"([A-Za-z_$][A-Za-z0-9_.$-]*)\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?"
                    + "|true|false|null)?");
    /** Values a run makes anew: UUIDs, times, hexadecimal keys and secrets, JWTs (quoted, as documented). */
    private static final Pattern MADE_BY_THE_RUN = Pattern.compile("\"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
            + "[0-9a-f]{4}-[0-9a-f]{12}|\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z|[0-9a-f]{16,}|eyJ[A-Za-z0-9_.-]*)\"");
    private static final Pattern CURL = Pattern.compile("(?<![\\w-])curl\\s");
    private static final Pattern URL = Pattern.compile("\"\\$BASE(/[^\"?\\s]*)");
    private static final Pattern METHOD = Pattern.compile("(?:-X|--request)\\s+([A-Z]+)");
    private static final Pattern DATA = Pattern.compile("\\s(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form)\\s");
    private static final Pattern SHELL_VARIABLE_SEGMENT = Pattern.compile("/\\$\\{?[A-Za-z_][A-Za-z0-9_]*\\}?(?=/|$)");
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{[^}/]+\\}");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    /** One fenced block of the reference that the test runs. */
    record Block(Path document, int number, int line, String text, List<Expected> expected) {

        String describe() {
            return document + " block " + number + " (line " + line + ")";
        }
    }

    /**
     * An annotated status; {@code repeated} for a poll ({@code 200+}): one or more responses with that status;
     * {@code body} what the annotation shows after it (a body, an abridged one, or words).
     */
    record Expected(int status, boolean repeated, String body) {

        String pattern() {
            return repeated ? "(?:" + status + " )+" : status + " ";
        }

        @Override
        public String toString() {
            return status + (repeated ? "+" : "");
        }
    }

    /** What one block printed: its statuses and bodies (one each per request), its stdout, and the rest of stderr. */
    record Output(List<Integer> statuses, List<String> bodies, String stdout, String stderr) {
    }

    static List<Path> documents() {
        return RUN;
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyExampleGetsTheStatusItIsAnnotatedWith(Path document) throws Exception {
        // The service's first-run account is off in tests; the documents use the README's credentials, each from an
        // account of its own (a tracker name one document creates must not be taken by the other's)
        RestClient admin = RestClient.create("http://localhost:" + port);
        admin.delete().uri("/admin/accounts/demo").header("X-Operator-Key", OPERATOR_KEY).retrieve()
                .onStatus(status -> status.value() == 404, (request, response) -> { }).toBodilessEntity();
        admin.post().uri("/admin/accounts")
                .header("X-Operator-Key", OPERATOR_KEY).contentType(MediaType.APPLICATION_JSON)
                .body("{\"appId\":\"demo\",\"appSecret\":\"demo-secret-123\"}").retrieve().toBodilessEntity();

        List<Block> blocks = runnableBlocks(document, Files.readString(document, StandardCharsets.UTF_8));
        assertThat(blocks).as("runnable ```bash blocks in %s", document).isNotEmpty();
        for (Block block : blocks) {
            assertThat(block.expected()).as("%s has a curl request without a '# → NNN' status after it:%n%s",
                    block.describe(), block.text()).hasSize(countMatches(CURL, block.text()));
        }

        Path workDir = Files.createTempDirectory("api-reference");
        Path script = workDir.resolve("api-reference.sh");
        Files.writeString(script, script(blocks), StandardCharsets.UTF_8);
        Path stdout = workDir.resolve("stdout.txt");
        Path stderr = workDir.resolve("stderr.txt");
        ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", script.toString())
                .directory(workDir.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> environment = bash.environment();
        environment.put("BASE", "http://localhost:" + port);
        environment.put("TRACKERS_OPERATOR_KEY", OPERATOR_KEY);
        // curl would send requests for localhost through a proxy configured for the build machine
        List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
                .forEach(environment::remove);
        Process process = bash.start();
        boolean finished = process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String exit = finished ? "exit code " + process.exitValue() : "killed after " + SCRIPT_TIMEOUT_SECONDS + " s";

        List<String> bodyMismatches = new ArrayList<>();
        List<Output> outputs = split(Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (i >= outputs.size()) {
                fail("%s did not run (%s; the script stopped in an earlier block)%n%s", block.describe(), exit,
                        block.text());
            }
            Output output = outputs.get(i);
            boolean last = i == outputs.size() - 1;
            if (!statusesMatch(block.expected(), output.statuses()) || last && !"exit code 0".equals(exit)) {
                fail("%s: expected statuses %s, got %s (%s)%n--- block ---%n%s--- stdout ---%n%s%n--- stderr ---%n%s",
                        block.describe(), block.expected(), output.statuses(), exit, block.text(), output.stdout(),
                        output.stderr());
            }
            List<String> differences = bodyDifferences(block.expected(), output);
            if (!differences.isEmpty()) {
                bodyMismatches.add(block.describe() + ":\n  " + String.join("\n  ", differences));
            }
        }
        assertThat(bodyMismatches).as("bodies that differ from what the document shows").isEmpty();
        assertThat(exit).isEqualTo("exit code 0");
    }

    @Test
    void everyEndpointHasACurlExample() throws IOException {
        String reference = Files.readString(REFERENCE, StandardCharsets.UTF_8);
        Set<String> documented = new TreeSet<>();
        for (Block block : runnableBlocks(REFERENCE, reference)) {
            documented.addAll(requests(block.text()));
        }

        Set<String> endpoints = new TreeSet<>();
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                // Spring's own controllers and the OpenAPI ones are not part of the wire API, nor is /error (ours
                // answers framework errors as problems; nobody calls it)
                if (!entry.getValue().getBeanType().getPackageName().startsWith("io.opentrackers")
                        || entry.getKey().getPatternValues().contains("/error")) {
                    continue;
                }
                RequestMappingInfo info = entry.getKey();
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    String path = PATH_VARIABLE.matcher(pattern).replaceAll("{}");
                    if (methods.isEmpty()) {
                        endpoints.add("ANY " + path);
                    }
                    methods.forEach(method -> endpoints.add(method.name() + " " + path));
                }
            }
        }
        assertThat(endpoints).as("endpoints found in the application").isNotEmpty();
        Set<String> missing = endpoints.stream()
                .filter(endpoint -> endpoint.startsWith("ANY ")
                        ? documented.stream().noneMatch(request -> request.endsWith(" " + endpoint.substring(4)))
                        : !documented.contains(endpoint))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing).as("endpoints without a runnable curl example in docs/api.md (documented: %s)", documented)
                .isEmpty();

        // WebSocket endpoints are not MVC mappings and cannot be driven by curl; the reference must name them.
        String normalisedReference = PATH_VARIABLE.matcher(reference).replaceAll("{}");
        Set<String> webSocketPaths = new TreeSet<>();
        context.getBeansOfType(WebSocketHandlerMapping.class).values()
                .forEach(mapping -> webSocketPaths.addAll(mapping.getHandlerMap().keySet()));
        assertThat(webSocketPaths).as("WebSocket endpoints").isNotEmpty();
        assertThat(webSocketPaths).allSatisfy(path -> assertThat(normalisedReference)
                .as("docs/api.md names the WebSocket endpoint %s", path)
                .contains(PATH_VARIABLE.matcher(path).replaceAll("{}")));
    }

    /** The {@code ```bash} blocks whose first line is not {@code # not run}, in document order. */
    static List<Block> runnableBlocks(Path document, String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("```")) {
                continue;
            }
            String language = lines[i].substring(3).trim();
            int start = i + 1;
            int end = start;
            while (end < lines.length && !lines[end].startsWith("```")) {
                end++;
            }
            StringBuilder text = new StringBuilder();
            for (int j = start; j < end; j++) {
                text.append(lines[j]).append('\n');
            }
            boolean notRun = start < end && lines[start].trim().startsWith("# not run");
            if (language.equals("bash") && !notRun) {
                List<Expected> expected = new ArrayList<>();
                Matcher annotation = ANNOTATION.matcher(text);
                while (annotation.find()) {
                    expected.add(new Expected(Integer.parseInt(annotation.group(1)), !annotation.group(2).isEmpty(),
                            annotation.group(3).strip()));
                }
                blocks.add(new Block(document, blocks.size() + 1, start + 1, text.toString(), expected));
            }
            i = end;
        }
        return blocks;
    }

    /** The blocks, each after a marker on stdout and stderr so that output can be told apart by block. */
    static String script(List<Block> blocks) {
        StringBuilder script = new StringBuilder(CURL_FUNCTION);
        for (Block block : blocks) {
            // the newline ends a body printed without one, so that the marker starts its own line
            script.append("printf '\\n").append(MARKER).append(block.number()).append("\\n'\n")
                    .append("printf '").append(MARKER).append(block.number()).append("\\n' >&2\n")
                    .append(block.text());
        }
        return script.toString();
    }

    static List<Output> split(String stdout, String stderr) {
        List<String> outs = sections(stdout);
        List<String> errs = sections(stderr);
        List<Output> outputs = new ArrayList<>();
        for (int i = 0; i < errs.size(); i++) {
            List<Integer> statuses = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            StringBuilder rest = new StringBuilder();
            for (String line : errs.get(i).split("\n")) {
                Matcher status = STATUS_LINE.matcher(line);
                Matcher body = BODY_LINE.matcher(line);
                if (status.matches()) {
                    statuses.add(Integer.parseInt(status.group(1)));
                } else if (body.matches()) {
                    bodies.add(new String(Base64.getDecoder().decode(body.group(1)), StandardCharsets.UTF_8));
                } else if (!line.isEmpty()) {
                    rest.append(line).append('\n');
                }
            }
            outputs.add(new Output(statuses, bodies, i < outs.size() ? outs.get(i).strip() : "", rest.toString()));
        }
        return outputs;
    }

    /** The text after each marker line, up to the next one; what came before the first marker is dropped. */
    private static List<String> sections(String output) {
        List<String> sections = new ArrayList<>();
        StringBuilder current = null;
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(MARKER)) {
                if (current != null) {
                    sections.add(current.toString());
                }
                current = new StringBuilder();
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            sections.add(current.toString());
        }
        return sections;
    }

    /**
     * Each annotation's body against the body its request got: every JSON member the annotation shows must be in the
     * answer (at any depth), with the value shown where the annotation shows one in full, unless it is one a run
     * makes anew (an id, a time, a generated key). Only the JSON the annotation starts with counts, not the words
     * after it; an annotation may abridge a body ({@code …}) and order it as it likes. A poll ({@code 200+}) shows one
     * of its responses, so only its members' names are checked, against the last.
     */
    static List<String> bodyDifferences(List<Expected> expected, Output output) {
        List<String> differences = new ArrayList<>();
        int response = 0;
        for (int e = 0; e < expected.size() && response < output.bodies().size(); e++) {
            Expected annotation = expected.get(e);
            int last = response;
            if (annotation.repeated()) {
                int left = expected.size() - e - 1;
                while (last + 1 < output.statuses().size() - left
                        && output.statuses().get(last + 1) == annotation.status()) {
                    last++;
                }
            }
            String body = output.bodies().get(last);
            Map<String, List<JsonNode>> members = members(body);
            Matcher member = DOCUMENTED_MEMBER.matcher(documentedJson(annotation.body()));
            while (member.find()) {
                String name = member.group(1);
                String value = member.group(2);
                List<JsonNode> values = members.getOrDefault(name, List.of());
                if (values.isEmpty()) {
                    differences.add("# → " + annotation + ": no member \"" + name + "\" in " + abridged(body));
                } else if (value != null && !annotation.repeated() && !madeByTheRun(value)
                        && values.stream().noneMatch(actual -> sameValue(actual, value))) {
                    differences.add("# → " + annotation + ": \"" + name + "\":" + value + " is not in "
                            + abridged(body));
                }
            }
            response = last + 1;
        }
        return differences;
    }

    /**
     * The JSON an annotation starts with ({@code {…}} or {@code […]}, brackets matched outside strings), or "" for one
     * that starts otherwise ({@code e.g. {…}}: a body that depends on what else the instance holds).
     */
    static String documentedJson(String annotation) {
        if (!annotation.startsWith("{") && !annotation.startsWith("[")) {
            return "";
        }
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < annotation.length(); i++) {
            char c = annotation.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return annotation.substring(0, i + 1);
            }
        }
        return annotation;
    }

    /** Every member of a JSON body by name, at any depth; nothing for a body that is not JSON. */
    private static Map<String, List<JsonNode>> members(String body) {
        Map<String, List<JsonNode>> members = new HashMap<>();
        try {
            collect(JsonMapper.builder().build().readTree(body), members);
        } catch (JacksonException notJson) {
            // a text answer (CSV, an empty 204): it has no members
        }
        return members;
    }

    private static void collect(JsonNode node, Map<String, List<JsonNode>> members) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                members.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).add(field.getValue());
                collect(field.getValue(), members);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, members));
        }
    }

    /** A documented value that differs at every run: an id, a time, a generated key or secret, a token. */
    private static boolean madeByTheRun(String value) {
        return value.contains("…") || MADE_BY_THE_RUN.matcher(value).matches();
    }

    private static boolean sameValue(JsonNode actual, String documented) {
        JsonNode expected = JsonMapper.builder().build().readTree(documented);
        if (expected.isNumber() && actual.isNumber()) {
            // scores and thresholds (4 decimals) may round the other way where a processor's float kernels differ
            double tolerance = expected.isIntegralNumber() ? 0 : 0.0005;
            return Math.abs(expected.doubleValue() - actual.doubleValue()) <= tolerance;
        }
        return expected.equals(actual);
    }

    private static String abridged(String body) {
        return body.length() <= 1000 ? body : body.substring(0, 1000) + "…";
    }

    /** Statuses against annotations, as a regular expression so that a poll may be followed by the same status. */
    static boolean statusesMatch(List<Expected> expected, List<Integer> actual) {
        String pattern = expected.stream().map(Expected::pattern).collect(Collectors.joining());
        String statuses = actual.stream().map(status -> status + " ").collect(Collectors.joining());
        return statuses.matches(pattern);
    }

    /**
     * {@code METHOD /path} of each curl request of a block, with path segments that are shell variables
     * ({@code $TRACKER_ID}) written {@code {}}, as path variables are in the endpoint list. A request to a
     * literal id ({@code no-such-id}) shows an error, not the endpoint, and does not count.
     */
    static List<String> requests(String block) {
        List<String> requests = new ArrayList<>();
        Matcher curl = CURL.matcher(block);
        List<Integer> starts = new ArrayList<>();
        while (curl.find()) {
            starts.add(curl.start());
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1) : block.length();
            // a request's options end at its status annotation
            Matcher annotation = ANNOTATION.matcher(block).region(starts.get(i), end);
            String command = block.substring(starts.get(i), annotation.find() ? annotation.start() : end);
            Matcher url = URL.matcher(command);
            if (!url.find()) {
                continue;
            }
            Matcher method = METHOD.matcher(command);
            String verb = method.find() ? method.group(1)
                    : command.contains(" -G ") ? "GET" : DATA.matcher(command).find() ? "POST" : "GET";
            requests.add(verb + " " + SHELL_VARIABLE_SEGMENT.matcher(url.group(1)).replaceAll("/{}"));
        }
        return requests;
    }

    private static int countMatches(Pattern pattern, String text) {
        return (int) pattern.matcher(text).results().count();
    }
}
