package dev.autoplane.standalone.scheduling;

import dev.autoplane.standalone.AutoplaneApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;

/** The engine suite on the embedded storage (H2, commands handled on the sending thread). */
@SpringBootTest(classes = {AutoplaneApplication.class, SchedulingEngineSuite.Clocks.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "autoplane.scheduler.enabled=false")
@org.springframework.test.annotation.DirtiesContext // its own clock and data: do not keep it beside the shared context
class SchedulingEngineTest extends SchedulingEngineSuite {

    static final Path DATA_DIR = newDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("autoplane.data-dir", DATA_DIR::toString);
    }
}
