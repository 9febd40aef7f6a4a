package io.opentrackers.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Who said a message, as the client named them ({@code from} in the wire API); both parts are optional. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Speaker(String userId, String name) {

    static Speaker ofNullable(String userId, String name) {
        return userId == null && name == null ? null : new Speaker(userId, name);
    }
}
