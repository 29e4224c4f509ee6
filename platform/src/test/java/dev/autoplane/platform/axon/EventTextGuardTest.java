package dev.autoplane.platform.axon;

import dev.autoplane.platform.text.InvalidTextError;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event serializer refuses what the text rules refuse, wherever it sits in an event or its metadata. */
class EventTextGuardTest {

    record SomethingHappenedEvent(String name, Map<String, Object> config, List<String> tags) {
    }

    final AxonStorageConfiguration storage = new AxonStorageConfiguration();
    final Serializer events = storage.eventSerializer(storage.defaultAxonObjectMapper());

    @Test
    void validTextIsWrittenAndReadBack() {
        var event = new SomethingHappenedEvent("rocket \uD83D\uDE80", Map.of("k", "v\nw"), List.of("a"));
        SerializedObject<byte[]> bytes = events.serialize(event, byte[].class);
        assertThat((Object) events.deserialize(bytes)).isEqualTo(event);
    }

    @Test
    void aLoneSurrogateOrNulAnywhereIsRefused() {
        for (Object bad : List.of(new SomethingHappenedEvent("x\uD800", Map.of(), List.of()),
                new SomethingHappenedEvent("ok", Map.of("nested", Map.of("deep", "nul\0")), List.of()),
                new SomethingHappenedEvent("ok", Map.of("k\uDC00", 1), List.of()),
                new SomethingHappenedEvent("ok", Map.of(), List.of("fine", "\uDBFF")),
                MetaData.with("reason", "bad \uD800"))) {
            assertThatThrownBy(() -> events.serialize(bad, byte[].class)).as("%s", bad)
                    .hasRootCauseInstanceOf(InvalidTextError.class);
        }
        // the other serializers are unchanged: stored data written before the rules stays readable
        Serializer messages = storage.messageSerializer(storage.defaultAxonObjectMapper());
        assertThat(messages.serialize(new SomethingHappenedEvent("x\uD800", Map.of(), List.of()), byte[].class)).isNotNull();
    }
}
