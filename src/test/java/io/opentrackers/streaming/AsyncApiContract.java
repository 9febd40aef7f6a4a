package io.opentrackers.streaming;

import static io.opentrackers.SchemaContract.escape;

import com.networknt.schema.dialect.Dialects;
import io.opentrackers.SchemaContract;
import io.opentrackers.ServiceClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The AsyncAPI document of the Streaming API read as a client written from it reads it: each frame is matched to the
 * message the document gives for its direction and channel by the {@code const} of its {@code type} (and of
 * {@code message.type} for the {@code message} notices, or the constant text of a plain-text frame), then checked
 * against that message's payload schema, read closed ({@link SchemaContract}). AsyncAPI schemas are JSON Schema
 * draft 7 with extra keywords, so they are read in that dialect.
 */
final class AsyncApiContract {

    private static final String BASE = "https://opentrackers.test/docs/asyncapi.yaml";

    /** A channel's address and the payload schemas of the frames sent and received on it, by {@link #frameKey}. */
    private record Channel(String address, Map<String, String> sent, Map<String, String> received) {
    }

    private final JsonNode document;
    private final SchemaContract schemas;
    private final List<Channel> channels = new ArrayList<>();
    private final Set<String> serverFramesSeen = new TreeSet<>();
    private int checkedFrames;
    private int checkedExamples;

    AsyncApiContract(String yamlText) {
        this.document = ServiceClient.JSON.valueToTree(new Yaml().load(yamlText));
        List<String> roots = new ArrayList<>();
        document.path("components").path("schemas").properties()
                .forEach(schema -> roots.add("/components/schemas/" + escape(schema.getKey())));
        document.path("components").path("messages").properties()
                .forEach(message -> roots.add("/components/messages/" + escape(message.getKey()) + "/payload"));
        this.schemas = new SchemaContract(document, BASE, Dialects.getDraft7(), roots);
        document.path("channels").properties().forEach(channel -> channels.add(new Channel(
                channel.getValue().path("address").asString(), new LinkedHashMap<>(), new LinkedHashMap<>())));
        document.path("operations").properties().forEach(operation -> {
            JsonNode op = operation.getValue();
            JsonNode channel = document.at(target(op.path("channel")));
            Channel target = channels.stream()
                    .filter(each -> each.address().equals(channel.path("address").asString())).findFirst()
                    .orElseThrow();
            Map<String, String> messages = "send".equals(op.path("action").asString()) ? target.sent()
                    : target.received();
            op.path("messages").forEach(ref -> {
                String payload = target(ref) + "/payload";
                String key = schemaKey(resolve(document.at(payload)));
                if (messages.put(key, payload) != null) {
                    schemas.mismatch("operation " + operation.getKey() + ": two messages for frames " + key);
                }
            });
        });
    }

    List<String> mismatches() {
        return schemas.mismatches();
    }

    Set<String> optionalMembers() {
        return schemas.optionalMembers();
    }

    Set<String> optionalMembersLeftOut() {
        return schemas.optionalMembersLeftOut();
    }

    int checkedFrames() {
        return checkedFrames;
    }

    int checkedExamples() {
        return checkedExamples;
    }

    /** The key of every frame the document says the server sends, on any channel. */
    Set<String> serverFrames() {
        Set<String> keys = new TreeSet<>();
        channels.forEach(channel -> keys.addAll(channel.sent().keySet()));
        return keys;
    }

    /** The key of every server frame checked so far. */
    Set<String> serverFramesSeen() {
        return serverFramesSeen;
    }

    /** Checks a frame the service sent on {@code path}; returns its key ({@link #frameKey}). */
    String checkServerFrame(String path, String frame) {
        String key = check(path, frame, true);
        serverFramesSeen.add(key);
        return key;
    }

    /** Checks a frame a correct client sends on {@code path}. */
    void checkClientFrame(String path, String frame) {
        check(path, frame, false);
    }

    private String check(String path, String text, boolean fromServer) {
        checkedFrames++;
        JsonNode frame = frame(text);
        String key = frameKey(frame);
        String shown = frame.isString() ? text : frame.toString();
        String where = (fromServer ? "server" : "client") + " frame " + key + " on " + path + " "
                + (shown.length() > 300 ? shown.substring(0, 300) + "…" : shown);
        Channel channel = channels.stream().filter(each -> path.matches(each.address().replaceAll("\\{[^}]+}",
                "[^/]+"))).findFirst().orElse(null);
        if (channel == null) {
            schemas.mismatch(where + ": no channel has this address");
            return key;
        }
        Map<String, String> messages = fromServer ? channel.sent() : channel.received();
        String payload = messages.get(key);
        if (payload == null) {
            schemas.mismatch(where + ": no documented message (documented: " + messages.keySet() + ")");
            return key;
        }
        schemas.validate(where, payload, frame);
        if (fromServer) {
            schemas.observe(payload, frame);
        }
        return key;
    }

    /**
     * Checks every example of the document: each message's {@code examples[].payload} against its payload schema,
     * and the {@code examples} of every schema against that schema.
     */
    void checkExamples() {
        document.path("components").path("messages").properties().forEach(message -> {
            String pointer = "/components/messages/" + escape(message.getKey());
            JsonNode examples = message.getValue().path("examples");
            for (int i = 0; i < examples.size(); i++) {
                checkedExamples++;
                schemas.validate("example " + pointer + "/examples/" + i, pointer + "/payload",
                        examples.get(i).path("payload"));
            }
        });
        for (String pointer : schemas.schemaPointers()) {
            JsonNode examples = document.at(pointer).path("examples");
            for (int i = 0; i < examples.size(); i++) {
                checkedExamples++;
                schemas.validate("example " + pointer + "/examples/" + i, pointer, examples.get(i));
            }
        }
    }

    /**
     * What tells frames apart: {@code type}, with {@code message.type} for the {@code message} notices; a frame that
     * is not a JSON object (the plain-text ping answer) is its own key.
     */
    static String frameKey(JsonNode frame) {
        if (!frame.isObject()) {
            return frame.asString(frame.toString());
        }
        String type = frame.path("type").asString("?");
        return "message".equals(type) ? type + "/" + frame.path("message").path("type").asString("?") : type;
    }

    /** The key {@link #frameKey} gives the frames a payload schema describes, from its {@code const}s. */
    private String schemaKey(JsonNode payload) {
        if (payload.has("const")) {
            return payload.get("const").asString();
        }
        String type = payload.at("/properties/type/const").asString("?");
        return "message".equals(type)
                ? type + "/" + resolve(payload.at("/properties/message")).at("/properties/type/const")
                        .asString("?")
                : type;
    }

    /** A text frame as JSON, or as a JSON string when it is plain text. */
    static JsonNode frame(String text) {
        try {
            return ServiceClient.JSON.readTree(text);
        } catch (JacksonException notJson) {
            return ServiceClient.JSON.getNodeFactory().stringNode(text);
        }
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(target(node)) : node;
    }

    /** The JSON pointer a reference leads to, following references on the way. */
    private String target(JsonNode node) {
        String pointer = "";
        while (node.has("$ref")) {
            pointer = node.get("$ref").asString().substring(1);
            node = document.at(pointer);
        }
        return pointer;
    }
}
