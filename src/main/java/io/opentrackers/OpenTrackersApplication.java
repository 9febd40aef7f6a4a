package io.opentrackers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OpenTrackersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OpenTrackersApplication.class, args);
    }
}
