package io.opentrackers.tracker;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A tracker named in a conversation or stream request: either a reference {@code {id}} to a managed tracker,
 * or an inline {@code {name, vocabulary}} used for that conversation only (with the same optional fields as a
 * managed one: {@code sensitivity}, {@code speaker}, {@code window}, {@code exclude}).
 */
public record TrackerReference(String id, String name,
                               // nullable, as the service reads null like a left-out member (and [] beside an id
                               // too): a generated Java client then sends nothing instead of an empty list
                               @Schema(nullable = true) List<String> vocabulary,
                               Double sensitivity,
                               @Schema(allowableValues = {"any", "agent", "customer"}) String speaker,
                               WindowRequest window,
                               @Schema(nullable = true) List<String> exclude) {

    public TrackerReference(String id, String name, List<String> vocabulary, Double sensitivity) {
        this(id, name, vocabulary, sensitivity, null, null, null);
    }

    /** Derived from the members, not one of them: no client sends it, so neither JSON nor the API document shows it. */
    @JsonIgnore
    public boolean isReference() {
        return id != null && (vocabulary == null || vocabulary.isEmpty());
    }
}
