package io.opentrackers.conversation;

import static io.opentrackers.common.Settings.notNegative;
import static io.opentrackers.common.Settings.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Stored conversations ({@code trackers.conversations.*}).
 *
 * @param retention         a conversation whose last activity (creation, a message appended by a job or a stream, a
 *                          rename: its {@code updated_on}) is older than this is deleted with everything stored from
 *                          it, as {@code DELETE /v1/conversations/{id}} deletes it ({@link ConversationRetention});
 *                          {@code 0} (the default) keeps conversations for ever
 * @param retentionInterval how often each instance looks for conversations past the retention (also once at start-up)
 */
@ConfigurationProperties("trackers.conversations")
record ConversationProperties(
        @DefaultValue("0s") Duration retention,
        @DefaultValue("1h") Duration retentionInterval) {

    ConversationProperties {
        // a negative retention would put every conversation's last activity "before" it: everything deleted at once
        notNegative("trackers.conversations.retention", retention);
        positive("trackers.conversations.retention-interval", retentionInterval);
    }
}
