package io.opentrackers.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON values bind only to fields of their own type, for every endpoint and for streaming frames (whose mapper
 * is rebuilt from the application's and keeps this configuration). Jackson converts scalars by default, so
 * {@code "content": 12345} became the text "12345" and {@code "enableAllTrackers": "false"} or {@code 0} became
 * {@code false}: a client's bug was answered with success and a different request than it meant. Now each is a
 * 400 naming the field. The one conversion kept is an integer where a decimal belongs ({@code "sensitivity": 1}).
 * A member given twice in one object is refused too (Jackson keeps the last by default), and so is one whose name
 * is a typo of a member the object takes ({@link MisspeltMembers}).
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictScalarTypes() {
        return StrictJsonConfiguration::strict;
    }

    static <B extends MapperBuilder<?, B>> B strict(B builder) {
        // {"webhookURL": ...} is a typo of webhookUrl, not one of the unknown members Symbl's clients send
        return MisspeltMembers.on(builder)
                // {"match": true, "match": false} is a client's bug, not a request for the last value
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, bool -> bool
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, integer -> integer
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, decimal -> decimal
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
}
