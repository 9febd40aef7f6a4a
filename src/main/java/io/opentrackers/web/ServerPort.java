package io.opentrackers.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code server.port} (environment {@code PORT}, application.yml) checked before the web server is made. A negative
 * port started a service that listened nowhere (Spring Boot takes any negative port for "no web server": the log said
 * {@code Tomcat started on port -1}, every probe failed), and a port above 65535 stopped the start with an 85-line
 * stack trace. Both now stop it in Spring Boot's start-up summary, naming the setting and the value.
 *
 * <p>Like every settings record it is bound before the database and the model start ({@code SettingsCheckedFirst}).
 *
 * <p>The port is read as text and converted here: a port that is no number ({@code PORT=abc}) was refused by the
 * conversion to a number, whose reason ({@code For input string: "abc"}) did not say what the setting takes.
 *
 * @param port the HTTP port; 0 is any free port (logged as {@code Tomcat started on port …}); blank is unset
 */
@ConfigurationProperties("server")
record ServerPort(String port) {

    ServerPort {
        if (port != null && !port.isBlank() && !inRange(port.strip())) {
            throw new IllegalArgumentException("server.port (environment PORT) must be 0..65535 (0: any free port), "
                    + "was " + port);
        }
    }

    private static boolean inRange(String port) {
        try {
            int number = Integer.parseInt(port);
            return number >= 0 && number <= 65535;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }
}
