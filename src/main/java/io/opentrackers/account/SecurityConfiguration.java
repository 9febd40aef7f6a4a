package io.opentrackers.account;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.opentrackers.web.ProblemAuthenticationEntryPoint;
import java.time.Duration;
import java.util.List;
import javax.crypto.SecretKey;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Token-based security with Spring Security's OAuth2 resource server: tokens are HS256 JWTs this service
 * issues itself at {@code /oauth2/token:generate}; their subject is the account id.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration implements WebMvcConfigurer {

    static final String ISSUER = "opentrackers";

    /** The management UI's pages: nothing but this origin's own scripts, styles and connections (docs/security.md). */
    static final String UI_CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Bean
    @DependsOn("flywayInitializer")
    SecretKey tokenSigningKey(AccountProperties properties, JdbcClient jdbc) {
        return SigningKey.load(properties, jdbc);
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey tokenSigningKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(tokenSigningKey));
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey tokenSigningKey, AccountService accounts) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(tokenSigningKey)
                .macAlgorithm(MacAlgorithm.HS256).build();
        // No clock skew: "expired" must mean what expiresIn told the client.
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        // Every token this service issues has exp; one without it would be valid forever.
        timestamps.setAllowEmptyExpiryClaim(false);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                timestamps, new JwtIssuerValidator(ISSUER), new AccountSubjectValidator(accounts)));
        return decoder;
    }

    /**
     * The management UI's page and assets are public (they hold no data; every call they make carries the user's
     * token like any other client) and get their own chain so that only they carry the browser-facing headers: a
     * strict Content-Security-Policy (scripts, styles and connections from this origin only, nothing inline, no
     * framing) and no referrer, so a token in the page can never be sent elsewhere.
     */
    @Bean
    @Order(1)
    SecurityFilterChain uiSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/", "/index.html", "/ui/**", "/webjars/**", "/favicon.ico")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(UI_CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .frameOptions(frame -> frame.deny())
                        .permissionsPolicyHeader(permissions -> permissions.policy(
                                "camera=(), microphone=(), geolocation=(), payment=()")));
        return http.build();
    }

    /**
     * The metrics describe every tenant's traffic: the operator key opens them, never a tenant's token, so this chain
     * does not read tokens at all ({@link OperatorOnlyFilter}).
     */
    @Bean
    @Order(2)
    SecurityFilterChain operatorSecurity(HttpSecurity http, OperatorKey operatorKey, JsonMapper json) throws Exception {
        http.securityMatcher("/actuator/metrics", "/actuator/metrics/**", "/actuator/prometheus")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .addFilterBefore(new OperatorOnlyFilter(operatorKey, json), AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain apiSecurity(HttpSecurity http, ProblemAuthenticationEntryPoint entryPoint) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/oauth2/token:generate", "/admin/**", "/error",
                                "/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers(ApiTokenResolver::isPlainRequestToAWebSocketPath).permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(new ApiTokenResolver())
                        .authenticationEntryPoint(entryPoint)
                        .jwt(jwt -> { }))
                .addFilterAfter(new AccountLogContext(), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new AccountIdArgumentResolver());
    }
}
