package dev.autoplane.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The command side alone: aggregates, command endpoints, token issuing (distributed and split modes). */
@SpringBootApplication(scanBasePackages = {"dev.autoplane.command", "dev.autoplane.platform"})
public class CommandSideApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
