package dev.autoplane.query.rebuild;

import dev.autoplane.query.automations.AutomationProjection;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.occurrences.OccurrenceProjection;
import dev.autoplane.query.occurrences.OccurrenceStore;
import dev.autoplane.query.revisions.RevisionProjection;
import dev.autoplane.query.revisions.RevisionStore;
import dev.autoplane.query.runs.RunProjection;
import dev.autoplane.query.runs.RunStore;
import dev.autoplane.query.schedules.ScheduleStore;
import dev.autoplane.query.visualization.VisualizationProjection;
import dev.autoplane.query.visualization.VisualizationStore;

import java.time.Clock;
import java.util.List;

/**
 * Where a rebuild writes: a shadow of every read model of the shared stream (same schema, names ending in
 * {@link #SUFFIX}), filled by the read models' own projection classes, then promoted in one step so that
 * readers go from the old read model to the new one without a moment of neither. Adapters:
 * {@link JdbcShadowReadModels} (H2, PostgreSQL) and {@link MongoShadowReadModels}.
 */
public interface ShadowReadModels {

    /** Appended to a live table's or collection's name to name its shadow. */
    String SUFFIX = "__shadow";

    /** Drops what an earlier rebuild may have left, makes the shadows empty, and answers their projections. */
    List<Object> prepare(Clock clock);

    /** The shadows become the live read models (the old ones are dropped); called with the live projections paused. */
    void promote();

    /** Drops the shadows (a rebuild that failed); the live read models are untouched. */
    void discard();

    /** The projections of a rebuild: the live classes, over the shadow stores. */
    static List<Object> projections(AutomationStore automations, ScheduleStore schedules, RevisionStore revisions,
                                    RunStore runs, OccurrenceStore occurrences, VisualizationStore visualizations,
                                    Clock clock) {
        return List.of(new AutomationProjection(automations, schedules), new RevisionProjection(revisions),
                new RunProjection(runs), new OccurrenceProjection(occurrences), new VisualizationProjection(visualizations, clock));
    }
}
