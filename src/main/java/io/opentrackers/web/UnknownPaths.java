package io.opentrackers.web;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * What a 404 of a path no endpoint answers says beyond "No endpoint": the path meant, when the path is one of the
 * API's in other letter case or with a trailing {@code /} ({@code /v1/manage/Trackers}: paths are case-sensitive),
 * and why a Symbl endpoint this service does not have is not there, for clients ported from Symbl (api.md, "Porting a
 * Symbl client").
 */
@Component
class UnknownPaths {

    /** Symbl's audio and video uploads: this service has no speech recognition. */
    private static final Pattern MEDIA = Pattern.compile("^/v1/process/(audio|video)(/url)?/?$",
            Pattern.CASE_INSENSITIVE);
    /** Symbl's other insights of a conversation, by the words a sentence names them with. */
    private static final Map<String, String> INSIGHTS = Map.ofEntries(Map.entry("topics", "topics"),
            Map.entry("abstract-topics", "abstract topics"), Map.entry("questions", "questions"),
            Map.entry("action-items", "action items"), Map.entry("comprehensive-action-items", "action items"),
            Map.entry("follow-ups", "follow-ups"), Map.entry("summary", "summaries"),
            Map.entry("analytics", "conversation analytics"), Map.entry("entities", "entities"),
            Map.entry("insights", "insights"), Map.entry("members", "member lists"),
            Map.entry("speakers", "speaker events"), Map.entry("speaker-events", "speaker events"),
            Map.entry("comments", "comments"), Map.entry("callscore", "call scores"),
            Map.entry("call-score", "call scores"));
    private static final Pattern CONVERSATION_PART = Pattern.compile("^(/v1/conversations/[^/]+)/([A-Za-z-]+)/?$");

    /** The paths the application maps, read when first needed (the mapping is made after this). */
    private final Supplier<Collection<String>> mapped;
    /** The API's paths: each pattern lower-cased, to be matched by a lower-cased path, beside the pattern itself. */
    private volatile List<Map.Entry<PathPattern, String>> folded;

    @Autowired
    UnknownPaths(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this(() -> mappings.getObject().getHandlerMethods().keySet().stream()
                .flatMap(info -> info.getPatternValues().stream()).toList());
    }

    UnknownPaths(Supplier<Collection<String>> mapped) {
        this.mapped = mapped;
    }

    /** The sentence added to {@code No endpoint METHOD PATH.}, or empty when there is nothing more to say. */
    Optional<String> hint(String path) {
        Matcher media = MEDIA.matcher(path);
        if (media.matches()) {
            return Optional.of("This service reads text and has no speech recognition, so it takes no "
                    + media.group(1).toLowerCase(Locale.ROOT) + ": transcribe the recording and send the text with "
                    + "POST /v1/process/text (JSON, WebVTT or SRT).");
        }
        Matcher part = CONVERSATION_PART.matcher(path);
        if (part.matches()) {
            String conversation = part.group(1);
            String name = part.group(2).toLowerCase(Locale.ROOT);
            if (name.equals("transcript")) {
                return Optional.of("Symbl's formatted transcript is not provided; the conversation's messages: GET "
                        + conversation + "/messages.");
            }
            if (INSIGHTS.containsKey(name)) {
                return Optional.of("This service finds tracker hits only and provides no " + INSIGHTS.get(name)
                        + "; the conversation's hits: GET " + conversation + "/trackers.");
            }
        }
        return meant(path).map(meant -> (meant.equalsIgnoreCase(path) ? "Paths are case-sensitive"
                : "Paths take no trailing /") + ": did you mean " + meant + "?");
    }

    /**
     * The path of the API that {@code path} is in other letter case or with a trailing {@code /}, with the ids it
     * holds as they were given ({@code /V1/MANAGE/TRACKERS/3f1c} → {@code /v1/manage/trackers/3f1c}).
     */
    private Optional<String> meant(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        PathContainer lower = PathContainer.parsePath(trimmed.toLowerCase(Locale.ROOT));
        return patterns().stream().filter(pattern -> pattern.getKey().matches(lower)).findFirst()
                .map(pattern -> withItsIds(pattern.getValue(), trimmed));
    }

    /** The pattern's words with the path's own segments where the pattern has a variable. */
    private static String withItsIds(String pattern, String path) {
        String[] words = pattern.split("/", -1);
        String[] given = path.split("/", -1);
        StringBuilder meant = new StringBuilder();
        for (int i = 1; i < words.length; i++) {
            meant.append('/').append(words[i].startsWith("{") && i < given.length ? given[i] : words[i]);
        }
        return meant.toString();
    }

    private List<Map.Entry<PathPattern, String>> patterns() {
        List<Map.Entry<PathPattern, String>> known = folded;
        if (known == null) {
            PathPatternParser parser = new PathPatternParser();
            known = mapped.get().stream()
                    .filter(pattern -> pattern.startsWith("/v1/") || pattern.startsWith("/oauth2/"))
                    // a variable's pattern ({id:(?!bulk$).+}) is the server's business: the client is shown {id}
                    .map(pattern -> pattern.replaceAll("\\{([A-Za-z]+):[^}]*}", "{$1}")).distinct()
                    .map(pattern -> Map.entry(parser.parse(pattern.toLowerCase(Locale.ROOT)), pattern))
                    // the most specific first: /v1/manage/trackers/bulk before /v1/manage/trackers/{id}
                    .sorted(Map.Entry.comparingByKey())
                    .toList();
            folded = known;
        }
        return known;
    }
}
