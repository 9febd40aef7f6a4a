package io.opentrackers.streaming;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Plain WebSocket endpoints (no STOMP: the Symbl protocol is its own JSON framing). Authentication happens before
 * the upgrade, in the ordinary security filter chain, so a bad or missing token is a 401 on the handshake.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class StreamingConfiguration implements WebSocketConfigurer {

    static final String STREAMING_PATH = "/v1/streaming/{connectionId}";
    static final String LEGACY_PATH = "/v1/realtime/insights/{connectionId}";
    /** Characters (text) or bytes (binary) of a frame the container hands over at a time. */
    static final int FRAME_PART_SIZE = 16 * 1024;

    private final StreamingHandler handler;

    StreamingConfiguration(StreamingHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Tokens, not cookies, authenticate these connections, so cross-origin pages cannot ride on a user's
        // session: any origin may connect (browser SDKs run on the customer's own domain).
        registry.addHandler(handler, STREAMING_PATH, LEGACY_PATH)
                .setHandshakeHandler(new TokenProtocolHandshakeHandler())
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
}
