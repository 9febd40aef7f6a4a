package io.opentrackers.account;

import java.security.Principal;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets controllers take an {@link AccountId} parameter filled from the verified access token. */
class AccountIdArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return AccountId.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        return fromPrincipal(SecurityContextHolder.getContext().getAuthentication());
    }

    /** The account of an authenticated principal (also used for WebSocket sessions). */
    static AccountId fromPrincipal(Principal principal) {
        if (principal instanceof JwtAuthenticationToken token) {
            return AccountId.parse(token.getToken().getSubject());
        }
        if (principal instanceof Authentication authentication && authentication.isAuthenticated()) {
            throw new IllegalStateException("Unsupported authentication type " + principal.getClass());
        }
        throw new IllegalStateException("No authenticated account on this request");
    }
}
