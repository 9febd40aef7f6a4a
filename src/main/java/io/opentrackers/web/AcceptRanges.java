package io.opentrackers.web;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * What an {@code Accept} header says of one media type, read as RFC 9110 section 12.5.1 reads it: among the ranges
 * that include the type, the most specific ones ({@code application/json} before {@code application/*} before
 * {@code *}{@code /*}) give its quality, and a quality of 0 means "not acceptable". Spring's content negotiation
 * matches ranges without looking at their quality, so {@code Accept: application/json;q=0} was served JSON. Media
 * type parameters other than {@code q} are not told apart ({@code application/json;charset=utf-8} is a range of
 * JSON), so that the charset a client adds never costs it its answer.
 */
final class AcceptRanges {

    private AcceptRanges() {
    }

    /** The ranges of the request's {@code Accept} headers; empty when there is none or it cannot be read. */
    static List<MediaType> of(Enumeration<String> headers) {
        return headers == null ? List.of() : of(Collections.list(headers));
    }

    static List<MediaType> of(List<String> headers) {
        try {
            return headers.isEmpty() ? List.of() : MediaType.parseMediaTypes(headers);
        } catch (InvalidMediaTypeException e) {
            return List.of(); // ReadableAcceptFilter refuses such a header before any handler
        }
    }

    /** The quality {@code ranges} give {@code type}: 0 when none includes it or the most specific say 0. */
    static double quality(List<MediaType> ranges, MediaType type) {
        int mostSpecific = -1;
        double quality = 0;
        for (MediaType range : ranges) {
            if (!range.includes(type)) {
                continue;
            }
            int specificity = range.isWildcardType() ? 0 : range.isWildcardSubtype() ? 1 : 2;
            if (specificity > mostSpecific) {
                mostSpecific = specificity;
                quality = range.getQualityValue();
            } else if (specificity == mostSpecific) {
                quality = Math.max(quality, range.getQualityValue());
            }
        }
        return quality;
    }

    /**
     * Whether the client refused JSON outright: a range of quality 0 covers JSON and no range admits
     * {@code application/problem+json}. Such a client gets its 406 without a body, since a problem is JSON; any other
     * gets the problem as {@code application/problem+json}, as every error is answered whatever the {@code Accept}.
     */
    static boolean refuseJson(List<MediaType> ranges) {
        return quality(ranges, MediaType.APPLICATION_PROBLEM_JSON) == 0 && ranges.stream()
                .anyMatch(range -> range.getQualityValue() == 0 && (range.includes(MediaType.APPLICATION_JSON)
                        || range.includes(MediaType.APPLICATION_PROBLEM_JSON)));
    }
}
