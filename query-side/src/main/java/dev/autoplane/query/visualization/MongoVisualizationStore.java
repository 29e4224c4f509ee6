package dev.autoplane.query.visualization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import dev.autoplane.query.MongoDocumentCollection;
import reactor.core.publisher.Mono;

import java.util.Optional;

/** Visualizations in MongoDB (reactive driver; blocking at the projection boundary). */
public class MongoVisualizationStore extends MongoDocumentCollection<VisualizationView> implements VisualizationStore {

    public MongoVisualizationStore(MongoDatabase database, ObjectMapper mapper) {
        this(database, mapper, "");
    }

    /** Over the collection(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public MongoVisualizationStore(MongoDatabase database, ObjectMapper mapper, String suffix) {
        super(database, "automation_visualization" + suffix, mapper, VisualizationView.class, Holds.JSON_STRING);
    }

    @Override
    public void save(VisualizationView v) {
        Mono.from(collection.replaceOne(Filters.eq("_id", v.automationId()), document(v.automationId(), v),
                new ReplaceOptions().upsert(true))).block(TIMEOUT);
    }

    @Override
    public Optional<VisualizationView> find(String automationId) {
        return findById(automationId);
    }

    @Override
    public void delete(String automationId) {
        deleteWhere("_id", automationId);
    }
}
