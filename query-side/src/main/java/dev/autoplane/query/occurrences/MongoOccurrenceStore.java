package dev.autoplane.query.occurrences;

import dev.autoplane.query.MongoDocumentCollection;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import dev.autoplane.events.run.OccurrenceView;
import dev.autoplane.query.runs.RunStore;
import org.bson.Document;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Occurrences in MongoDB (reactive driver; blocking at the projection boundary); the view as a JSON string. */
public class MongoOccurrenceStore extends MongoDocumentCollection<OccurrenceView> implements OccurrenceStore {

    public MongoOccurrenceStore(MongoDatabase database, ObjectMapper mapper) {
        this(database, mapper, "");
    }

    /** Over the collection(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public MongoOccurrenceStore(MongoDatabase database, ObjectMapper mapper, String suffix) {
        super(database, "occurrence_view" + suffix, mapper, OccurrenceView.class, Holds.JSON_STRING);
        Mono.from(collection.createIndex(Indexes.descending("automation_id", "scheduled_at", "_id"),
                new IndexOptions().name("automation_scheduled"))).block(TIMEOUT);
    }

    @Override
    public void save(OccurrenceView o) {
        Document doc = document(o.fireId(), o)
                .append("workspace_id", o.workspaceId())
                .append("automation_id", o.automationId())
                .append("outcome", o.outcome())
                .append("scheduled_at", RunStore.micros(o.scheduledAt()));
        Mono.from(collection.replaceOne(Filters.eq("_id", o.fireId()), doc, new ReplaceOptions().upsert(true)))
                .block(TIMEOUT);
    }

    @Override
    public Optional<OccurrenceView> find(String fireId) {
        return findById(fireId);
    }

    @Override
    public List<OccurrenceView> page(String automationId, String outcome, Cursor after, int limit) {
        List<Bson> f = new ArrayList<>(List.of(Filters.eq("automation_id", automationId)));
        if (outcome != null) {
            f.add(Filters.eq("outcome", outcome));
        }
        if (after != null) {
            f.add(Filters.or(Filters.lt("scheduled_at", after.scheduledAtMicros()),
                    Filters.and(Filters.eq("scheduled_at", after.scheduledAtMicros()), Filters.lt("_id", after.fireId()))));
        }
        return Flux.from(collection.find(Filters.and(f)).sort(Sorts.descending("scheduled_at", "_id")).limit(limit))
                .map(this::read).collectList().block(TIMEOUT);
    }

    @Override
    public void deleteByAutomation(String automationId) {
        deleteWhere("automation_id", automationId);
    }



}
