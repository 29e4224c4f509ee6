package dev.autoplane.platform.axon;

import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The events Axon makes carry time-ordered (version 7) identifiers, found through the service loader. */
class TimeOrderedIdentifiersTest {

    @Test
    void eventIdentifiersAreVersionSevenAndAscendAcrossMilliseconds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(GenericEventMessage.asEventMessage("payload " + i).getIdentifier());
            Thread.sleep(2);
        }
        assertThat(ids).allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
        assertThat(ids).isSorted();
    }
}
