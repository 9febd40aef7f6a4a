package io.opentrackers;

import io.opentrackers.evaluation.OfflineCommands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OpenTrackersApplication {

    /**
     * Starts the service, or runs an offline command ({@code evaluate}, {@code benchmark}, {@code calibrate},
     * {@code help}, {@code --help}, {@code --version}, or a mistyped command's usage error) when the first argument
     * is one: those need neither the database nor the web server, so Spring does not start for them.
     */
    public static void main(String[] args) {
        if (OfflineCommands.handles(args)) {
            System.exit(OfflineCommands.run(args));
        }
        SpringApplication.run(OpenTrackersApplication.class, args);
    }
}
