package dev.surge.fulfilment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FulfilmentApplication {

    public static void main(String[] args) {
        SpringApplication.run(FulfilmentApplication.class, args);
    }
}
