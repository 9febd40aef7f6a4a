package io.opentrackers.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Who said a message, as the client named them ({@code from} in the wire API); every part is optional.
 *
 * @param role extension: {@code agent} or {@code customer}, what trackers' {@code speaker} condition reads; without
 *             one, the role {@code speakerRoles} gives, else the one the name is (MessageRules.withRole)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Speaker(String userId, String name,
                      @Schema(allowableValues = {"agent", "customer"}, description = "Extension: what trackers' "
                              + "speaker condition reads. Without it, the role speakerRoles gives this userId or "
                              + "name, else the one the name is: a speaker named Agent or Customer (any case) has "
                              + "that role") String role) {

    public Speaker(String userId, String name) {
        this(userId, name, null);
    }

    static Speaker ofNullable(String userId, String name, String role) {
        return userId == null && name == null && role == null ? null : new Speaker(userId, name, role);
    }

    /** This speaker with {@code role}, unless it has one of its own. */
    Speaker withRoleIfNone(String newRole) {
        return role != null || newRole == null ? this : new Speaker(userId, name, newRole);
    }
}
