package io.opentrackers.web;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.Misspellings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.beans.PropertyEditorSupport;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.beans.BeanUtils;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query parameters are read as strictly as JSON bodies ({@link StrictJsonConfiguration}), for every endpoint.
 * <p>
 * A parameter that holds one value is refused when the request gives it more than once:
 * Spring kept the first of {@code ?limit=5&limit=7} for a number and joined text into {@code "a,b"}, which may
 * even be another tracker's name, so the client was answered as if it had asked something it did not. Which
 * parameters hold one value is read from the handler method itself: a {@code @RequestParam}, or a component of a
 * {@code @ParameterObject} record, whose type is not a list or an array. List-typed ones ({@code trackerId} of
 * analytics and transcript uploads) may repeat, and parameters an endpoint does not take are ignored as always,
 * except one that differs from a parameter it takes only by case, separators or a plural ({@code trackerIds},
 * {@code webhookURL}; the rule of {@link Misspellings}, which JSON bodies follow too): that is a typo, and ignoring it answered a transcript upload with {@code ?trackerIds=<id>} by applying every
 * tracker of the account, with a 201. It is refused with the name that was meant.
 * <p>
 * A boolean is {@code true} or {@code false}. Spring also read {@code yes}, {@code on}, {@code 1} as true and
 * {@code no}, {@code off}, {@code 0} as false, and an empty value as absent ({@code ?enableAllTrackers=} from an
 * unset shell variable applied every tracker), while the same values in a JSON body are refused.
 */
@ControllerAdvice
class StrictQueryParameters implements WebMvcConfigurer, HandlerInterceptor {

    /** Per handler method: the query parameters it binds to one value, with the type they are bound to. */
    private final Map<Method, Map<String, Class<?>>> singleValued = new ConcurrentHashMap<>();
    /** Per handler method: every query parameter it binds, whose typos are refused. */
    private final Map<Method, Misspellings> taken = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    /**
     * A custom editor rather than a converter: the binder falls back to Spring's default Boolean editor, which
     * reads yes/on/1, when a converter refuses a value.
     */
    @InitBinder
    void strictBooleans(WebDataBinder binder) {
        binder.registerCustomEditor(Boolean.class, new StrictBooleanEditor());
        binder.registerCustomEditor(boolean.class, new StrictBooleanEditor());
    }

    private static final class StrictBooleanEditor extends PropertyEditorSupport {

        @Override
        public void setAsText(String text) {
            setValue(switch (text) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                // not shown: the problem says what the parameter takes, from its type
                default -> throw new IllegalArgumentException("not true or false");
            });
        }
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || request.getQueryString() == null) {
            return true;
        }
        Map<String, Class<?>> single = singleValued.computeIfAbsent(method.getMethod(), m -> singleValued(method));
        List<FieldViolation> violations = new ArrayList<>();
        Misspellings names = taken.computeIfAbsent(method.getMethod(),
                m -> Misspellings.of(parameters(method).keySet()));
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            Class<?> type = single.get(parameter.getKey());
            int given = parameter.getValue().length;
            String meant = names.meant(parameter.getKey());
            if (meant != null) {
                violations.add(FieldViolation.of(parameter.getKey(),
                        Misspellings.reason("a parameter of this endpoint", meant)));
                continue;
            }
            if (type == null) {
                continue;
            }
            if (given > 1) {
                violations.add(FieldViolation.of(parameter.getKey(), "is given " + given + " times but takes one "
                        + "value"));
            } else if (parameter.getValue()[0].isEmpty() && type != String.class && type != Boolean.class
                    && type != boolean.class) {
                // Spring binds an empty number or time as absent: ?limit= from an unset shell variable gave the
                // default instead of an error (an empty boolean is refused by the editor above, with its own words)
                violations.add(FieldViolation.of(parameter.getKey(), "is empty; give a value or leave the parameter "
                        + "out"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return true;
    }

    /** The query parameters the handler binds to a single value (text, number, boolean, ...), with their types. */
    static Map<String, Class<?>> singleValued(HandlerMethod method) {
        Map<String, Class<?>> names = new HashMap<>();
        parameters(method).forEach((name, type) -> {
            if (isSingleValue(type)) {
                names.put(name, type);
            }
        });
        return Map.copyOf(names);
    }

    /** Every query parameter the handler binds, with the type it is bound to. */
    private static Map<String, Class<?>> parameters(HandlerMethod method) {
        Map<String, Class<?>> names = new HashMap<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
            if (requestParam != null) {
                String name = StringUtils.hasText(requestParam.name()) ? requestParam.name()
                        : parameter.getParameterName();
                if (name != null) {
                    names.put(name, parameter.getParameterType());
                }
            } else if ((parameter.hasParameterAnnotation(ParameterObject.class)
                    || parameter.hasParameterAnnotation(ModelAttribute.class))
                    && parameter.getParameterType().isRecord()) {
                for (RecordComponent component : parameter.getParameterType().getRecordComponents()) {
                    names.put(component.getName(), component.getType());
                }
            }
        }
        return names;
    }

    private static boolean isSingleValue(Class<?> type) {
        return !type.isArray() && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)
                && BeanUtils.isSimpleValueType(type);
    }
}
