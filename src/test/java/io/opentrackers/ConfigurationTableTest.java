package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
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
        for (String property : bound) {
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
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> properties = new TreeSet<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.opentrackers")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.value().isEmpty() ? annotation.prefix() : annotation.value();
            collect(type, prefix, properties);
        }
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
