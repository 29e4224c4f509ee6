package dev.autoplane.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.openapitools.jackson.nullable.JsonNullableJackson3Module;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;

import java.time.Clock;

/** Wiring shared by both sides. */
@Configuration(proxyBeanMethods = false)
public class PlatformConfiguration {

    /** The one clock of the process; tests replace it with a controllable one. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
    public Clock clock() {
        return Clock.tickMillis(java.time.ZoneOffset.UTC); // the precision the stores keep
    }

    /**
     * The HTTP JSON contract: snake_case, unknown fields and duplicate keys are errors, nothing is
     * coerced silently (a number is not a string, null is not false).
     */
    @Bean
    public JsonMapperBuilderCustomizer autoplaneJson() {
        return builder -> builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JsonNullableJackson3Module()) // PATCH records: absent, null and a value differ
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL));
    }
}
