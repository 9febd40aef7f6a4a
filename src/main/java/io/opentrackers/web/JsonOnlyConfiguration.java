package io.opentrackers.web;

import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;

/**
 * The API reads and writes JSON only. The OpenAPI library brings Jackson 2's YAML module, and Spring then registers
 * a YAML converter on its own: it read {@code Content-Type: application/yaml} bodies with a Jackson 2 mapper that
 * knows neither the application's {@code JsonNode} (a 500) nor its strict scalar types, and answered
 * {@code Accept: application/yaml} with another representation of every resource (dates as epoch seconds, null
 * members). Without it, such requests get the 415 and 406 problems every other unsupported type gets.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyConfiguration {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @Bean
    ServerHttpMessageConvertersCustomizer noYamlConverter() {
        return builder -> builder.configureMessageConvertersList(converters -> converters.removeIf(
                JsonOnlyConfiguration::writesYaml));
    }

    /** Names YAML itself: the converters of {@code *}{@code /*} (bytes, strings, resources) stay. */
    private static boolean writesYaml(HttpMessageConverter<?> converter) {
        return converter.getSupportedMediaTypes().stream().anyMatch(YAML::equalsTypeAndSubtype);
    }
}
