package io.opentrackers.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * An endpoint whose every representation the client refused with a quality of 0 ({@code Accept:
 * application/json;q=0}, {@code *}{@code /*;q=0}, {@code application/json;q=0, text/html}) is a 406, before its
 * handler reads anything, as an {@code Accept} that does not name JSON at all already is. Spring chose the endpoint
 * by its {@code produces} without looking at qualities and answered JSON with 200 (see {@link AcceptRanges}).
 * Endpoints that declare no {@code produces} negotiate as Spring does.
 */
@Configuration(proxyBeanMethods = false)
class RefusedRepresentations implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        // first: a request refused whole is not worth checking its query parameters
        registry.addInterceptor(this).order(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotAcceptableException {
        if (!(request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE) instanceof Set<?> producible)
                || producible.isEmpty()) {
            return true;
        }
        List<MediaType> ranges = AcceptRanges.of(request.getHeaders(HttpHeaders.ACCEPT));
        if (ranges.isEmpty()) {
            return true;
        }
        List<MediaType> types = producible.stream().filter(MediaType.class::isInstance).map(MediaType.class::cast)
                .toList();
        if (types.stream().anyMatch(type -> AcceptRanges.quality(ranges, type) > 0)) {
            return true;
        }
        throw new HttpMediaTypeNotAcceptableException(types);
    }
}
