package dev.autoplane.query.visualization;

import java.time.Instant;

/**
 * The diagram of an automation's latest published revision (seed 002's {@code AutomationVisualization}): its
 * {@code state} ({@code PENDING} while it is generated, then {@code COMPLETED} with {@code mermaid} and {@code svg},
 * or {@code FAILED} with {@code errorMessage}).
 */
public record VisualizationView(String automationId, String workspaceId, String automationVersion, String state,
                                String errorMessage, String mermaid, String svg, Instant updatedAt) {

    public static final String PENDING = "PENDING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
}
