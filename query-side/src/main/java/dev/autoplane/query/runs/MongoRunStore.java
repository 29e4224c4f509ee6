package dev.autoplane.query.runs;

import dev.autoplane.query.JsonDocuments;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import dev.autoplane.events.run.RunView;
import org.bson.Document;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs in MongoDB through the reactive driver, blocking at the projection boundary (Axon 4 ignores a
 * returned Mono). The view is kept as a JSON string (free-form inputs and outputs round-trip exactly,
 * whatever their numbers); the fields the listings filter on are top-level and indexed.
 */
public class MongoRunStore implements RunStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MongoCollection<Document> collection;
    private final ObjectMapper mapper;

    public MongoRunStore(MongoDatabase database, ObjectMapper mapper) {
        this.collection = database.getCollection("run_view");
        this.mapper = mapper;
        for (var index : List.of(Indexes.descending("workspace_id", "_id"), Indexes.descending("automation_id", "_id"),
                Indexes.descending("automation_id", "trigger_id", "_id"), Indexes.descending("workspace_id", "status", "_id"))) {
            Mono.from(collection.createIndex(index, new IndexOptions())).block(TIMEOUT);
        }
    }

    @Override
    public void save(RunView run) {
        Document doc = new Document("_id", run.id())
                .append("workspace_id", run.workspaceId())
                .append("automation_id", run.automationId())
                .append("trigger_id", run.triggerId())
                .append("status", run.status())
                .append("scheduled_at", RunStore.micros(run.scheduledAt()))
                .append("version", run.version())
                .append("json", write(run));
        try {
            Mono.from(collection.replaceOne(Filters.and(Filters.eq("_id", run.id()), Filters.lt("version", run.version())),
                    doc, new ReplaceOptions().upsert(true))).block(TIMEOUT);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // a newer version is stored already: a replayed event changes nothing
        }
    }

    @Override
    public Optional<RunView> find(String runId) {
        return Optional.ofNullable(Mono.from(collection.find(Filters.eq("_id", runId)).first()).block(TIMEOUT))
                .map(this::read);
    }

    @Override
    public List<RunView> page(RunQuery q) {
        List<Bson> f = new ArrayList<>(List.of(Filters.eq("workspace_id", q.workspaceId())));
        if (q.automationId() != null) {
            f.add(Filters.eq("automation_id", q.automationId()));
        }
        if (q.triggerId() != null) {
            f.add(Filters.eq("trigger_id", q.triggerId()));
        }
        if (q.status() != null) {
            f.add(Filters.eq("status", q.status()));
        }
        if (q.since() != null) {
            f.add(Filters.gte("scheduled_at", RunStore.micros(q.since())));
        }
        if (q.until() != null) {
            f.add(Filters.lt("scheduled_at", RunStore.micros(q.until())));
        }
        if (q.beforeId() != null) {
            f.add(Filters.lt("_id", q.beforeId()));
        }
        return Flux.from(collection.find(Filters.and(f)).sort(Sorts.descending("_id")).limit(q.limit()))
                .map(this::read).collectList().block(TIMEOUT);
    }

    @Override
    public void deleteByAutomation(String automationId) {
        Mono.from(collection.deleteMany(Filters.eq("automation_id", automationId))).block(TIMEOUT);
    }

    @Override
    public void clear() {
        Mono.from(collection.deleteMany(new Document())).block(TIMEOUT);
    }

    private String write(RunView run) {
        return JsonDocuments.write(mapper, run);
    }

    private RunView read(Document doc) {
        return JsonDocuments.read(mapper, doc.getString("json"), RunView.class);
    }
}
