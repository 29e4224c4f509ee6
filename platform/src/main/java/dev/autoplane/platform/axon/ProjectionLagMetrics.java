package dev.autoplane.platform.axon;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.OptionalLong;

/**
 * What an operator alerts on, at {@code /actuator/prometheus}, computed only when it is scraped:
 * {@code autoplane_projection_lag{processor}} (events between the log's head and the processor's lowest
 * segment here; NaN when another process holds its segments) and {@code autoplane_projection_position}.
 * Axon's own per-message monitors (timers, counters, capacity and latency for every message each handler
 * sees) are off by default ({@code AUTOPLANE_AXON_METRICS=true} turns them on): they were 5 % of the
 * server's CPU under the P1 write load, for figures these two gauges summarise.
 */
@Component
public class ProjectionLagMetrics {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final MeterRegistry registry;

    public ProjectionLagMetrics(EventProcessingConfiguration processing, EventStore eventStore,
                                ObjectProvider<MeterRegistry> registry) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.registry = registry.getIfAvailable();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        if (registry == null) {
            return; // no metrics in this context
        }
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                Gauge.builder("autoplane.projection.lag", streaming, p -> {
                            double position = position(p);
                            return Double.isNaN(position) ? Double.NaN : Math.max(0, LogHead.position(eventStore) - position);
                        })
                        .tag("processor", name).description("Events in the log this projection has not handled yet")
                        .register(registry);
                Gauge.builder("autoplane.projection.position", streaming, ProjectionLagMetrics::position)
                        .tag("processor", name).description("The log position this projection has handled up to")
                        .register(registry);
            }
        });
    }

    /** The lowest position of the segments this process holds; NaN when it holds none. */
    static double position(StreamingEventProcessor processor) {
        double min = Double.NaN;
        for (EventTrackerStatus status : processor.processingStatus().values()) {
            OptionalLong p = status.getCurrentPosition();
            double position = p.isPresent() ? p.getAsLong() : -1;
            min = Double.isNaN(min) ? position : Math.min(min, position);
        }
        return min;
    }
}
