package dev.autoplane.platform.web.json;

import org.junit.jupiter.api.Test;
import org.openapitools.jackson.nullable.JsonNullable;
import org.openapitools.jackson.nullable.JsonNullableJackson3Module;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@link Given} body binds what it can to its record and keeps every field as sent for the rules. */
class GivenTest {

    record Sample(JsonNullable<String> name, JsonNullable<Integer> maxCount, JsonNullable<Inner> inner,
                  JsonNullable<Map<String, Object>> config) {
    }

    record Inner(String a) {
    }

    private static final JsonMapper STRICT = StrictJsonCodecConfiguration.strict(JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JsonNullableJackson3Module())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private static Given<Sample> read(String json) {
        return STRICT.readValue(json, new TypeReference<Given<Sample>>() {
        });
    }

    @Test
    void absentNullAndAValueStayApart() {
        Given<Sample> given = read("{\"name\": \"x\", \"max_count\": null}");
        assertThat(given.record().name()).isEqualTo(JsonNullable.of("x"));
        assertThat(given.record().maxCount().isPresent()).isTrue();
        assertThat(given.record().maxCount().get()).isNull();
        assertThat(given.record().inner().isPresent()).isFalse();
        assertThat(given.fields()).containsOnlyKeys("name", "max_count").containsEntry("max_count", null);
        assertThat(given.sent("max_count")).isTrue();
        assertThat(given.sent("inner")).isFalse();
    }

    @Test
    void fieldsThatDoNotBindAreLeftOutOfTheRecordAndKeptAsSent() {
        Given<Sample> given = read("{\"name\": 5, \"max_count\": \"7\", \"inner\": {\"a\": \"b\", \"z\": 1}, "
                + "\"colour\": \"red\", \"config\": {\"k\": 1}}");
        assertThat(given.record().name().isPresent()).isFalse();
        assertThat(given.record().maxCount().isPresent()).isFalse();
        assertThat(given.record().inner().isPresent()).isFalse();
        assertThat(given.record().config()).isEqualTo(JsonNullable.of(Map.of("k", 1)));
        assertThat(given.fields()).containsOnlyKeys("name", "max_count", "inner", "colour", "config")
                .containsEntry("name", 5).containsEntry("max_count", "7").containsEntry("colour", "red")
                .containsEntry("inner", Map.of("a", "b", "z", 1));
    }

    @Test
    void manyUnknownFieldsCostTwoBindingsNotOnePerField() {
        StringBuilder json = new StringBuilder("{\"name\": 5");
        for (int i = 0; i < 50_000; i++) {
            json.append(", \"k").append(i).append("\": ").append(i);
        }
        long start = System.nanoTime();
        Given<Sample> given = read(json.append("}").toString());
        assertThat(given.fields()).hasSize(50_001);
        assertThat(given.record().name().isPresent()).isFalse();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void aBodyThatIsNoObjectOrHasInvalidTextFailsAsAMapBodyDoes() {
        assertThatThrownBy(() -> read("[1, 2]")).isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> read("{\"config\": {\"k\": \"half \\ud800\"}, \"name\": \"a\"}"))
                .isInstanceOf(MismatchedInputException.class)
                .satisfies(e -> assertThat(((MismatchedInputException) e).getPathReference()).contains("config").contains("k"));
        assertThatThrownBy(() -> read("{\"name\": \"a\", \"name\": \"b\"}")).isInstanceOf(tools.jackson.core.JacksonException.class);
        try {
            Given<Sample> empty = read("\"\"");
            assertThat(empty == null || empty.fields().isEmpty()).isTrue();
        } catch (tools.jackson.core.JacksonException refused) {
            // refused like a map body: fine; what must not happen is anything but a decoding error
        }
    }
}
