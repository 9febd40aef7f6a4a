package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import io.opentrackers.account.Accounts;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.web.Problems;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain WebSocket endpoints (no STOMP: the Symbl protocol is its own JSON framing). Authentication happens before
 * the upgrade, in the ordinary security filter chain, so a bad or missing token is a 401 on the handshake.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class StreamingConfiguration implements WebSocketConfigurer {

    static final String STREAMING_PATH = "/v1/streaming/{connectionId}";
    static final String LEGACY_PATH = "/v1/realtime/insights/{connectionId}";
    /** The streaming paths without their connection id, a client's mistake that gets a problem saying so. */
    static final String[] PATHS_WITHOUT_ID =
            {"/v1/streaming", "/v1/streaming/", "/v1/realtime/insights", "/v1/realtime/insights/"};
    /**
     * Longest connection id, in characters (as long as a client's message id may be). The id is kept in memory for as
     * long as its connection lives (which connection of the account holds it), and is in every log line about the
     * connection and in the notice of one it replaces; it is not stored with the conversation. Without a limit of
     * its own, only the web server's header size bounded it (a 3,000-character id was taken).
     */
    static final int MAX_CONNECTION_ID = 256;
    /** Characters (text) or bytes (binary) of a frame the container hands over at a time. */
    static final int FRAME_PART_SIZE = 16 * 1024;

    private final StreamingHandler handler;
    private final StreamConnections connections;
    private final LiveConnections liveConnections;
    private final StreamingProperties properties;
    private final JsonMapper json;

    StreamingConfiguration(StreamingHandler handler, StreamConnections connections, LiveConnections liveConnections,
            StreamingProperties properties, JsonMapper json) {
        this.handler = handler;
        this.connections = connections;
        this.liveConnections = liveConnections;
        this.properties = properties;
        this.json = json;
    }

    /** What a client over {@code max-connections-per-account} is told, on the handshake or in the error frame. */
    static String tooManyConnections(StreamingProperties properties) {
        return "This account already has " + properties.maxConnectionsPerAccount() + " streaming connections open "
                + "on this instance, the most it may have (trackers.streaming.max-connections-per-account); close one "
                + "(stop_request, then close the socket) before opening another";
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Tokens, not cookies, authenticate these connections, so cross-origin pages cannot ride on a user's
        // session: any origin may connect (browser SDKs run on the customer's own domain).
        registry.addHandler(handler, STREAMING_PATH, LEGACY_PATH)
                .setHandshakeHandler(new TokenProtocolHandshakeHandler())
                .addInterceptors(new WebSocketUpgradesOnly(json), new ConnectionIdRules(json),
                        new ConnectionsPerAccount(connections, liveConnections, properties, json))
                .setAllowedOriginPatterns("*");
        registry.addHandler(handler, PATHS_WITHOUT_ID).addInterceptors(new ConnectionIdRequired(json))
                .setAllowedOriginPatterns("*");
    }

    /**
     * Small per-connection buffers: the handler takes frames in parts and enforces {@code max-frame-size} itself
     * (the container allocates these buffers for every connection when it opens).
     */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(FRAME_PART_SIZE);
        container.setMaxBinaryMessageBufferSize(FRAME_PART_SIZE);
        return container;
    }

    /**
     * An account over {@code max-connections-per-account} is refused before the upgrade, with a 429 problem a client
     * can read like any other answer of the API. Runs after authentication (the security filters), so the principal
     * is the token's account.
     */
    static final class ConnectionsPerAccount extends RefusingInterceptor {

        private final StreamConnections connections;
        private final LiveConnections liveConnections;
        private final StreamingProperties properties;

        ConnectionsPerAccount(StreamConnections connections, LiveConnections liveConnections,
                StreamingProperties properties, JsonMapper json) {
            super(json);
            this.connections = connections;
            this.liveConnections = liveConnections;
            this.properties = properties;
        }

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler webSocketHandler, Map<String, Object> attributes) throws IOException {
            if (request.getPrincipal() == null) {
                return true;
            }
            AccountId account = Accounts.of(request.getPrincipal());
            // a reconnect with the id of a connection still open takes its place rather than a new one
            if (connections.hasRoomFor(account)
                    || liveConnections.isLive(account, StreamingHandler.connectionId(request.getURI()))) {
                return true;
            }
            // the connection is counted when it is established (StreamConnections.add), not here
            return refused(request, response, HttpStatus.TOO_MANY_REQUESTS, tooManyConnections(properties));
        }
    }

    /**
     * The official JS SDK offers its access token as the WebSocket sub-protocol (besides the X-API-KEY header)
     * and its client library fails the handshake unless the server selects one of the offered protocols. We
     * echo that protocol only when it is the very token that authenticated this request.
     */
    static final class TokenProtocolHandshakeHandler extends DefaultHandshakeHandler {

        @Override
        protected String selectProtocol(List<String> requestedProtocols, WebSocketHandler webSocketHandler) {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication instanceof JwtAuthenticationToken jwt
                    && requestedProtocols.contains(jwt.getToken().getTokenValue())) {
                return jwt.getToken().getTokenValue();
            }
            return super.selectProtocol(requestedProtocols, webSocketHandler);
        }
    }

    /**
     * A plain HTTP request to a streaming path (the URL opened in a browser or with curl) was answered with Spring's
     * text/plain 400 {@code Can "Upgrade" only to "WebSocket".}, or a 405 without a body: it gets a problem saying
     * what the path is, like every other error of the service.
     */
    static final class WebSocketUpgradesOnly extends RefusingInterceptor {

        private static final HttpMethod CONNECT = HttpMethod.valueOf("CONNECT");

        WebSocketUpgradesOnly(JsonMapper json) {
            super(json);
        }

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler webSocketHandler, Map<String, Object> attributes) throws IOException {
            HttpStatus status;
            // CONNECT is how HTTP/2 opens a WebSocket (RFC 8441); the handshake handler takes it from here
            if (!HttpMethod.GET.equals(request.getMethod()) && !CONNECT.equals(request.getMethod())) {
                status = HttpStatus.METHOD_NOT_ALLOWED;
                response.getHeaders().setAllow(Set.of(HttpMethod.GET, CONNECT));
            } else if (HttpMethod.GET.equals(request.getMethod())
                    && !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
                status = HttpStatus.BAD_REQUEST;
            } else {
                return true;
            }
            return refused(request, response, status, "This is a WebSocket endpoint: open it with a WebSocket client "
                    + "(GET with Upgrade: websocket); the protocol is in docs/streaming.md");
        }
    }

    /**
     * A connection id longer than {@link #MAX_CONNECTION_ID}, or holding a control character, is refused before the
     * upgrade with a 400 problem saying what it may be. The id is written in every log line about the connection:
     * a control character there ({@code %1B}, an escape that a terminal reading the log obeys; {@code %01}, {@code %09})
     * was taken (the firewall refuses only line breaks). Runs after authentication, so a handshake without a valid
     * token is told that first, and before the account's connections are counted.
     */
    static final class ConnectionIdRules extends RefusingInterceptor {

        ConnectionIdRules(JsonMapper json) {
            super(json);
        }

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler webSocketHandler, Map<String, Object> attributes) throws IOException {
            String connectionId = StreamingHandler.connectionId(request.getURI());
            if (connectionId.length() > MAX_CONNECTION_ID) {
                return refused(request, response, Problems.invalid(tooLong(connectionId), List.of(
                        FieldViolation.of("connectionId", "at most " + MAX_CONNECTION_ID + " characters"))));
            }
            int control = connectionId.codePoints().filter(Character::isISOControl).findFirst().orElse(-1);
            if (control >= 0) {
                String character = String.format("U+%04X", control);
                return refused(request, response, Problems.invalid("The connection id holds the control character "
                        + character + ": choose one of printable characters (a UUID is a good choice); the protocol "
                        + "is in docs/streaming.md", List.of(FieldViolation.of("connectionId",
                        "must not hold control characters, holds " + character))));
            }
            return true;
        }
    }

    /** What a handshake whose connection id is over {@link #MAX_CONNECTION_ID} is told. */
    static String tooLong(String connectionId) {
        return "The connection id is " + connectionId.length() + " characters long, at most " + MAX_CONNECTION_ID
                + " are accepted: choose a shorter one (a UUID is a good choice); the protocol is in docs/streaming.md";
    }

    /**
     * A path without its connection id ({@code /v1/streaming?access_token=…}, an id variable that was empty): it was
     * a 404 {@code No endpoint GET /v1/streaming.}, or with the token in the URL a 401 saying a valid token was
     * required although it was valid, as a token in the URL is read on the streaming paths only. Any request to it
     * (a handshake or not) is told what the path lacks.
     */
    static final class ConnectionIdRequired extends RefusingInterceptor {

        ConnectionIdRequired(JsonMapper json) {
            super(json);
        }

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler webSocketHandler, Map<String, Object> attributes) throws IOException {
            String path = request.getURI().getPath().replaceAll("/+$", "");
            return refused(request, response, HttpStatus.NOT_FOUND, "The connection id is missing from the path: "
                    + "open " + path + "/{connectionId} with an id of your choice (a UUID is a good choice); the "
                    + "protocol is in docs/streaming.md");
        }
    }

    /**
     * A check made before the upgrade that answers a handshake it does not let through with a problem, like every
     * other error of the service; nothing is left to do after a handshake.
     */
    abstract static class RefusingInterceptor implements HandshakeInterceptor {

        private final JsonMapper json;

        RefusingInterceptor(JsonMapper json) {
            this.json = json;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler webSocketHandler, Exception exception) {
            // every check is made before the upgrade
        }

        /** Answers a handshake that is not let through with a problem ({@code status}, {@code detail}); false. */
        boolean refused(ServerHttpRequest request, ServerHttpResponse response, HttpStatus status, String detail)
                throws IOException {
            return refused(request, response, Problems.of(status, Problems.kindFor(status), detail));
        }

        /** Answers a handshake that is not let through with {@code problem}; false. */
        boolean refused(ServerHttpRequest request, ServerHttpResponse response, ProblemDetail problem)
                throws IOException {
            if (request instanceof ServletServerHttpRequest servlet) {
                Problems.at(problem, servlet.getServletRequest());
            }
            response.setStatusCode(HttpStatus.valueOf(problem.getStatus()));
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.getBody().write(json.writeValueAsBytes(problem));
            return false;
        }
    }
}
