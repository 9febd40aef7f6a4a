package io.opentrackers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops the start at once when the HTTP port is taken, with Spring Boot's own summary ("Web server failed to start.
 * Port 8080 was already in use."). Tomcat binds the port only after the embedded PostgreSQL and the model have
 * started, so a second service started by mistake, or another program on 8080, was told so after about 18 s and a
 * database started and stopped for nothing.
 *
 * <p>The check binds the address and port Tomcat will bind (same address reuse) and lets it go; a program that takes
 * the port in the seconds before Tomcat binds it still gets Tomcat's answer, which is the same summary. Port 0 (any
 * free port) is not checked.
 */
class PortCheckedFirst implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!application.getAllSources().contains(OpenTrackersApplication.class)
                || "none".equalsIgnoreCase(environment.getProperty("spring.main.web-application-type"))) {
            return;
        }
        // bound and checked by SettingsCheckedFirst, which runs before: a value here is a number in 0..65535
        Integer port = environment.getProperty("server.port", Integer.class, 8080);
        if (port == 0) {
            return;
        }
        String configured = environment.getProperty("server.address");
        InetAddress address = null; // every interface, as Tomcat listens by default
        if (configured != null && !configured.isBlank()) {
            try {
                address = InetAddress.getByName(configured);
            } catch (UnknownHostException e) {
                return; // Spring Boot refuses it when it binds server.address; that is the answer it deserves
            }
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException taken) {
            throw new PortInUseException(port, taken);
        }
    }

    /** After {@code SettingsCheckedFirst}, so a port that is no number is named as a bad setting, not as taken. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
