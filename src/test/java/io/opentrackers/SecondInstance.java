package io.opentrackers;

import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Another instance of the service on the test's database, as a second replica sharing it would run. */
public final class SecondInstance {

    private SecondInstance() {
    }

    /**
     * Starts it on a free port, with {@code settings} ({@code --name=value}) added to its configuration; close the
     * context to stop it.
     */
    public static ConfigurableApplicationContext start(JdbcConnectionDetails database, String... settings) {
        return new SpringApplicationBuilder(OpenTrackersApplication.class).run(Stream.concat(Stream.of(
                "--server.port=0",
                "--spring.datasource.url=" + database.getJdbcUrl(),
                "--spring.datasource.username=" + database.getUsername(),
                "--spring.datasource.password=" + database.getPassword(),
                "--trackers.admin.operator-key=test-operator-key"), Stream.of(settings)).toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext instance) {
        return ((WebServerApplicationContext) instance).getWebServer().getPort();
    }
}
