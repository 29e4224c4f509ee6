package dev.autoplane.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The query side alone: projections, read models, query endpoints (distributed and split modes). */
@SpringBootApplication(scanBasePackages = {"dev.autoplane.query", "dev.autoplane.platform"})
public class QuerySideApplication {

    public static void main(String[] args) {
        SpringApplication.run(QuerySideApplication.class, args);
    }
}
