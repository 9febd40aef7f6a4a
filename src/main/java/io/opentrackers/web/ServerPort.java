package io.opentrackers.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * {@code server.port} (environment {@code PORT}, application.yml) checked before the web server is made. A negative
 * port started a service that listened nowhere (Spring Boot takes any negative port for "no web server": the log said
 * {@code Tomcat started on port -1}, every probe failed), and a port above 65535 stopped the start with an 85-line
 * stack trace. Both now stop it in Spring Boot's start-up summary, naming the setting and the value.
 *
 * <p>As a customizer of the web server's factory it is bound when the factory is made, so a bad port stops the start
 * before the database and the model are loaded; it changes nothing in the factory.
 *
 * @param port the HTTP port; 0 is any free port (logged as {@code Tomcat started on port …})
 */
@ConfigurationProperties("server")
record ServerPort(Integer port) implements WebServerFactoryCustomizer<ConfigurableWebServerFactory> {

    ServerPort {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("server.port (environment PORT) must be 0..65535 (0: any free port), "
                    + "was " + port);
        }
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        // the check is the binding above
    }
}
