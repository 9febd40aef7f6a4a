package io.opentrackers.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API reads and writes JSON only. swagger-core brings Jackson 2's YAML format onto the class path, and Spring
 * then registers a Jackson 2 YAML converter for every endpoint: it could not read the bodies the controllers take
 * (Jackson 3's {@code JsonNode}), so a body sent as {@code application/yaml} was a 500, and it wrote dates as epoch
 * seconds, unlike the JSON the contract describes. Without it, a YAML body is a 415 and an {@code Accept} of YAML a
 * 406. The OpenAPI document's YAML form ({@code /v3/api-docs.yaml}) is written by springdoc itself as a string.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyConverters implements WebMvcConfigurer {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(converter ->
                converter.getSupportedMediaTypes().stream().anyMatch(YAML::includes)));
    }
}
