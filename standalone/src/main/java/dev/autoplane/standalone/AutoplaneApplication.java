package dev.autoplane.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Both sides in one process on the embedded storage (H2 file database in the data directory):
 * the README's run command.
 */
@SpringBootApplication(scanBasePackages = {"dev.autoplane.command", "dev.autoplane.query", "dev.autoplane.platform",
        "dev.autoplane.standalone.seeds"})
public class AutoplaneApplication {

    public static void main(String[] args) {
        SpringApplication.run(AutoplaneApplication.class, args);
    }
}
