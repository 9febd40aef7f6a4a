package io.opentrackers.web;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.function.Supplier;
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
 * What a 404 of a path no endpoint answers says beyond "No endpoint": the endpoint meant, when the path is one of the
 * API's in other letter case ({@code /v1/manage/Trackers}: paths are case-sensitive), and why a Symbl endpoint this
 * service does not have is not there, for clients ported from Symbl (api.md, "Porting a Symbl client").
 */
@Component
class UnknownPaths {

    /** Symbl's audio and video uploads: this service has no speech recognition. */
    private static final Pattern MEDIA = Pattern.compile("^/v1/process/(audio|video)(/url)?/?$");
    /** Symbl's other insights of a conversation: this service finds tracker hits only. */
    private static final Pattern INSIGHTS = Pattern.compile("^/v1/conversations/[^/]+/(topics|questions|action-items|"
            + "follow-ups|summary|analytics|entities|insights|members|speakers|transcript|comments|"
            + "abstract-topics|callscore|call-score)/?$");

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
            return Optional.of("This service reads text and has no speech recognition, so it takes no " + media.group(1)
                    + ": transcribe the recording and send the text with POST /v1/process/text (JSON, WebVTT or SRT).");
        }
        Matcher insight = INSIGHTS.matcher(path);
        if (insight.matches()) {
            return Optional.of("This service finds tracker hits only; Symbl's " + insight.group(1) + " are not "
                    + "provided. The conversation's hits: GET " + path.substring(0, path.lastIndexOf('/',
                    path.length() - 2)) + "/trackers.");
        }
        return alike(path).map(pattern -> "Paths are case-sensitive: did you mean " + pattern + "?");
    }

    /** The API's path that the path is in other letter case, as its pattern ({@code /v1/manage/trackers/{id}}). */
    private Optional<String> alike(String path) {
        PathContainer lower = PathContainer.parsePath(path.toLowerCase(Locale.ROOT));
        return patterns().stream().filter(pattern -> pattern.getKey().matches(lower)).findFirst()
                .map(Map.Entry::getValue);
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
