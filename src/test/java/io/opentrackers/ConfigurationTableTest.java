package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The README's configuration table against the {@code @ConfigurationProperties} records the service binds: every
 * property it lists exists, and every property an operator can set is listed (those of {@code trackers.jobs} and
 * {@code trackers.streaming} in docs/jobs.md and docs/streaming.md, which the README names for them). A management
 * audit found two settings of the index caches that only docs/matching.md mentioned.
 */
class ConfigurationTableTest {

    /** A row's first cell: `a.b.c` and alternatives after " / " (`.d` or `d`, replacing the last segment). */
    private static final Pattern ROW = Pattern.compile("^\\| (`trackers\\.[^|]*) \\|", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void theReadmeListsExactlyThePropertiesTheServiceBinds() throws Exception {
        Set<String> bound = boundProperties();
        Set<String> listed = readmeTable();

        assertThat(bound).as("properties found").hasSizeGreaterThan(40);
        assertThat(listed).as("listed in the README but bound by nothing").isSubsetOf(bound);
        Set<String> unlisted = new TreeSet<>();
        String jobs = Files.readString(Path.of("docs/jobs.md"));
        String streaming = Files.readString(Path.of("docs/streaming.md"));
        String readme = Files.readString(Path.of("README.md"));
        for (String property : bound) {
            if (!property.startsWith("trackers.")) {
                // Spring Boot's own, bound again to be checked (server.port): named in the README's PORT row
                if (!readme.contains("`" + property + "`")) {
                    unlisted.add(property);
                }
                continue;
            }
            // docs/jobs.md's table names them in full, docs/streaming.md's relative to trackers.streaming
            boolean documented = listed.contains(property)
                    || property.startsWith("trackers.jobs.") && jobs.contains("| `" + property + "` |")
                    || property.startsWith("trackers.streaming.")
                    && streaming.contains("| `" + property.substring("trackers.streaming.".length()) + "` |");
            if (!documented) {
                unlisted.add(property);
            }
        }
        assertThat(unlisted).as("bound but listed nowhere an operator looks").isEmpty();
    }

    /** A setting as the docs name it in running text: trackers.group.name in kebab case. */
    private static final Pattern NAMED = Pattern.compile("(?<![\\w.])trackers(?:\\.[a-z][a-z0-9-]*)+(?![\\w(-])");

    /**
     * Every {@code trackers.…} name the README and docs/ give an operator to set is one the service binds. An operator
     * walkthrough of docs/operations.md and the docs it links found none of these checked outside the README's table,
     * so a renamed or never-bound setting would be silently ignored (Spring Boot does not refuse unknown properties).
     * A name is also fine as a group of settings (a prefix of bound ones) or as a metric or cache name the code uses.
     */
    @Test
    void everySettingTheDocsNameIsBound() throws Exception {
        Set<String> bound = boundProperties();
        Set<String> codeNames = new TreeSet<>();
        try (var sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher literal = Pattern.compile("\"(trackers\\.[a-z0-9.-]+)\"").matcher(Files.readString(source));
                while (literal.find()) {
                    codeNames.add(literal.group(1));
                }
            }
        }
        Set<String> unbound = new TreeSet<>();
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        try (var docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        for (Path document : documents) {
            Matcher named = NAMED.matcher(Files.readString(document));
            while (named.find()) {
                String name = named.group();
                boolean known = bound.contains(name) || codeNames.contains(name)
                        || bound.stream().anyMatch(property -> property.startsWith(name + "."));
                if (!known) {
                    unbound.add(document + ": " + name);
                }
            }
        }
        assertThat(unbound).as("settings the docs name that nothing binds").isEmpty();
    }

    /**
     * Every default the configuration tables state (README, docs/jobs.md, docs/streaming.md, docs/management-api.md,
     * docs/operations.md) is the value the service starts with: the documented default, bound as if an operator had
     * set it, gives the same setting as application.yml and the records' own defaults. The README said
     * {@code trackers.embedding.native-kernel-min-rows} defaults to 1024 long after the default had become 1. A
     * default given in words (none, empty, calibrated per model) or as a placeholder ({@code <tmp>/…}) is not checked,
     * nor one whose setting has no value of its own (the matching policy: the model's calibration decides).
     */
    @Test
    void everyDocumentedDefaultIsTheValueTheServiceStartsWith() throws Exception {
        Map<String, String> documented = new LinkedHashMap<>();
        documented.putAll(defaultsColumn(Path.of("README.md"), ""));
        documented.putAll(defaultsColumn(Path.of("docs/jobs.md"), ""));
        documented.putAll(defaultsColumn(Path.of("docs/streaming.md"), "trackers.streaming."));
        documented.putAll(defaultsColumn(Path.of("docs/management-api.md"), ""));
        documented.putAll(defaultsColumn(Path.of("docs/operations.md"), ""));
        assertThat(documented).as("documented defaults found").hasSizeGreaterThan(40);

        List<PropertySource<?>> applicationYml = new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml"));
        Map<String, Class<?>> types = propertiesTypes();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> entry : documented.entrySet()) {
            String property = entry.getKey();
            Map.Entry<String, Class<?>> owner = ownerOf(property, types);
            assertThat(owner).as("%s is bound by a properties record", property).isNotNull();
            Object started = valueOf(bind(owner, applicationYml, Map.of()), owner.getKey(), property);
            if (started == null) {
                continue;
            }
            Object asDocumented = valueOf(bind(owner, applicationYml, Map.of(property, entry.getValue())),
                    owner.getKey(), property);
            if (!Objects.equals(started, asDocumented)) {
                wrong.add(property + ": documented " + entry.getValue() + ", starts with " + started);
            }
        }
        assertThat(wrong).as("documented defaults that are not the defaults").isEmpty();
    }

    /** The rows of a page's configuration tables: each property (or the row's alternatives) and its default. */
    private static Map<String, String> defaultsColumn(Path page, String prefix) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        int defaultColumn = -1;
        for (String line : Files.readAllLines(page)) {
            if (!line.startsWith("|")) {
                defaultColumn = -1;
                continue;
            }
            List<String> cells = List.of(line.substring(1, line.lastIndexOf('|')).split("\\|", -1));
            if (defaultColumn < 0) {
                String first = cells.get(0).strip();
                defaultColumn = first.equals("property") || first.equals("setting")
                        ? cells.stream().map(String::strip).toList().indexOf("default") : -2;
                continue;
            }
            if (defaultColumn == -2 || cells.get(0).startsWith("---")) {
                continue;
            }
            List<String> names = codeSpans(cells.get(0));
            List<String> values = codeSpans(cells.get(defaultColumn));
            if (names.isEmpty() || names.size() != values.size()) {
                continue; // a default in words: "none", "empty", "calibrated per model"
            }
            String full = prefix + names.get(0);
            if (!full.startsWith("trackers.")) {
                continue; // PORT, logging.*: Spring Boot's own
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i).startsWith(".") ? names.get(i).substring(1) : names.get(i);
                String property = i == 0 ? full : full.substring(0, full.lastIndexOf('.') + 1) + name;
                if (!values.get(i).contains("<")) {
                    defaults.put(property, values.get(i));
                }
            }
        }
        return defaults;
    }

    private static List<String> codeSpans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            spans.add(code.group(1));
        }
        return spans;
    }

    private static Map<String, Class<?>> propertiesTypes() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Map<String, Class<?>> types = new LinkedHashMap<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.opentrackers")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            types.put(annotation.value().isEmpty() ? annotation.prefix() : annotation.value(), type);
        }
        return types;
    }

    /** The record whose prefix the property starts with and whose components lead to it. */
    private static Map.Entry<String, Class<?>> ownerOf(String property, Map<String, Class<?>> types) {
        for (Map.Entry<String, Class<?>> type : types.entrySet()) {
            if (property.startsWith(type.getKey() + ".")) {
                String first = property.substring(type.getKey().length() + 1).split("\\.")[0];
                if (component(type.getValue(), first) != null) {
                    return type;
                }
            }
        }
        return null;
    }

    private static Object bind(Map.Entry<String, Class<?>> owner, List<PropertySource<?>> applicationYml,
            Map<String, Object> set) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new MapPropertySource("documented", set));
        applicationYml.forEach(sources::addLast);
        Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources));
        return binder.bindOrCreate(owner.getKey(), Bindable.of(owner.getValue()));
    }

    private static Object valueOf(Object bound, String prefix, String property) throws Exception {
        Object value = bound;
        for (String segment : property.substring(prefix.length() + 1).split("\\.")) {
            Method accessor = component(value.getClass(), segment).getAccessor();
            accessor.setAccessible(true);
            value = accessor.invoke(value);
        }
        return value;
    }

    private static RecordComponent component(Class<?> type, String kebabName) {
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase().equals(kebabName)) {
                return component;
            }
        }
        return null;
    }

    /**
     * Every setting the service refuses at start-up for a value that cannot work (a duration of 0, a negative
     * retention: the {@code Settings.positive} / {@code notNegative} checks) is named in docs/operations.md's "A start
     * that fails", where an operator whose start failed looks, in full. The table left 9 of the 24 out (among them
     * {@code trackers.streaming.idle-timeout=0s}, which stops the start just the same).
     */
    @Test
    void everySettingRefusedAtStartUpIsInTheOperationsGuide() throws IOException {
        Set<String> checked = new TreeSet<>();
        Pattern check = Pattern.compile("(?:positive|notNegative)\\(\"(trackers\\.[a-z0-9.-]+)\"");
        try (var sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher call = check.matcher(Files.readString(source));
                while (call.find()) {
                    checked.add(call.group(1));
                }
            }
        }
        assertThat(checked).as("settings checked at start-up").hasSizeGreaterThan(20);
        String guide = Files.readString(Path.of("docs/operations.md"));
        int start = guide.indexOf("## A start that fails");
        String section = guide.substring(start, guide.indexOf("\n## ", start + 1));
        assertThat(checked.stream().filter(name -> !section.contains("`" + name + "`")).toList())
                .as("refused at start-up but not named in docs/operations.md#a-start-that-fails").isEmpty();
    }

    private static Set<String> readmeTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"));
        Set<String> listed = new TreeSet<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            String first = null;
            Matcher code = CODE.matcher(row.group(1));
            while (code.find()) {
                String name = code.group(1);
                if (first == null) {
                    first = name;
                    listed.add(name);
                } else {
                    String tail = name.startsWith(".") ? name.substring(1) : name;
                    listed.add(first.substring(0, first.lastIndexOf('.') + 1) + tail);
                }
            }
        }
        return listed;
    }

    private static Set<String> boundProperties() throws ClassNotFoundException {
        Set<String> properties = new TreeSet<>();
        propertiesTypes().forEach((prefix, type) -> collect(type, prefix, properties));
        return properties;
    }

    /** The record's components in kebab case; components that are records of ours are groups of properties. */
    private static void collect(Class<?> type, String prefix, Set<String> properties) {
        List<RecordComponent> components = new ArrayList<>(List.of(type.getRecordComponents()));
        for (RecordComponent component : components) {
            String name = prefix + "." + component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Class<?> componentType = component.getType();
            if (componentType.isRecord() && componentType.getName().startsWith("io.opentrackers")) {
                collect(componentType, name, properties);
            } else {
                properties.add(name);
            }
        }
    }
}
