package dev.autoplane.query.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoNamespace;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import dev.autoplane.query.automations.MongoAutomationStore;
import dev.autoplane.query.occurrences.MongoOccurrenceStore;
import dev.autoplane.query.revisions.MongoRevisionStore;
import dev.autoplane.query.runs.MongoRunStore;
import dev.autoplane.query.schedules.MongoScheduleStore;
import dev.autoplane.query.visualization.MongoVisualizationStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The shadows in MongoDB: one collection per read-model collection, {@code <name>__shadow}, its indexes made by
 * the store that writes it (as the live store makes the live ones). Promotion renames each shadow onto its live
 * name with {@code dropTarget}: one server-side step per collection, so a reader finds either the old collection
 * or the new one. The seven collections are swapped one after the other (MongoDB renames no two at once):
 * for the moment between two renames a reader may see one read model rebuilt and the next one not yet, each
 * of them whole.
 */
public class MongoShadowReadModels implements ShadowReadModels {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static final List<String> COLLECTIONS = List.of("automation_view", "automation_schedule", "automation_revision", "run_view",
            "run_summary", "occurrence_view", "automation_visualization");

    private final MongoDatabase database;
    private final ObjectMapper mapper;

    public MongoShadowReadModels(MongoDatabase database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
    }

    @Override
    public List<Object> prepare(Clock clock) {
        discard();
        for (String name : COLLECTIONS) {
            Mono.from(database.createCollection(name + SUFFIX)).block(TIMEOUT); // an empty read model is promoted too
        }
        return ShadowReadModels.projections(new MongoAutomationStore(database, mapper, SUFFIX), new MongoScheduleStore(database, mapper, SUFFIX),
                new MongoRevisionStore(database, mapper, SUFFIX), new MongoRunStore(database, mapper, SUFFIX),
                new MongoOccurrenceStore(database, mapper, SUFFIX), new MongoVisualizationStore(database, mapper, SUFFIX), clock);
    }

    @Override
    public void promote() {
        for (String name : COLLECTIONS) {
            Mono.from(database.getCollection(name + SUFFIX).renameCollection(new MongoNamespace(database.getName(), name),
                    new RenameCollectionOptions().dropTarget(true))).block(TIMEOUT);
        }
    }

    @Override
    public void discard() {
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block(TIMEOUT);
        for (String name : COLLECTIONS) {
            if (existing != null && existing.contains(name + SUFFIX)) {
                Mono.from(database.getCollection(name + SUFFIX).drop()).block(TIMEOUT);
            }
        }
    }
}
