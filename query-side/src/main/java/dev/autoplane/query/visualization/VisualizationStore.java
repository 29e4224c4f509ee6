package dev.autoplane.query.visualization;

import java.util.Optional;

/** The visualization read model's port (JDBC and MongoDB adapters): one document per automation. */
public interface VisualizationStore {

    /** Stores the automation's visualization, replacing the one stored. */
    void save(VisualizationView view);

    Optional<VisualizationView> find(String automationId);

    void delete(String automationId);

    void clear();
}
