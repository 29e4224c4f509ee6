package dev.autoplane.query.automations;

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
import dev.autoplane.events.automation.AutomationView;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The automation read model in MongoDB through the reactive driver. Projections must finish their
 * write before returning (Axon 4 ignores a returned Mono), so every call blocks on its publisher.
 */
public class MongoAutomationStore implements AutomationStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private final MongoCollection<Document> collection;
    private final ObjectMapper mapper;

    public MongoAutomationStore(MongoDatabase database, ObjectMapper mapper) {
        this.collection = database.getCollection("automation_view");
        this.mapper = mapper;
        Mono.from(collection.createIndex(Indexes.ascending("workspace_id", "_id"), new IndexOptions().name("workspace_id_id")))
                .block(TIMEOUT);
    }

    @Override
    public void save(AutomationView view) {
        Document doc = new Document("_id", view.id())
                .append("workspace_id", view.workspaceId())
                .append("deleted", view.deleteTime() != null)
                .append("version", view.version())
                .append("view", Document.parse(write(view)));
        try {
            Mono.from(collection.replaceOne(Filters.and(Filters.eq("_id", view.id()), Filters.lt("version", view.version())),
                    doc, new ReplaceOptions().upsert(true))).block(TIMEOUT);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // a newer version is stored already: a replayed event changes nothing
        }
    }

    @Override
    public void delete(String automationId) {
        Mono.from(collection.deleteOne(Filters.eq("_id", automationId))).block(TIMEOUT);
    }

    @Override
    public Optional<AutomationView> find(String automationId) {
        return Optional.ofNullable(Mono.from(collection.find(Filters.eq("_id", automationId)).first()).block(TIMEOUT))
                .map(this::read);
    }

    @Override
    public List<AutomationView> page(String workspaceId, String afterId, boolean includeDeleted, int limit) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("workspace_id", workspaceId),
                Filters.gt("_id", afterId == null ? "" : afterId)));
        if (!includeDeleted) {
            filters.add(Filters.eq("deleted", false));
        }
        return Flux.from(collection.find(Filters.and(filters)).sort(Sorts.ascending("_id")).limit(limit))
                .map(this::read).collectList().block(TIMEOUT);
    }

    @Override
    public void clear() {
        Mono.from(collection.deleteMany(new Document())).block(TIMEOUT);
    }

    private String write(AutomationView view) {
        return JsonDocuments.write(mapper, view);
    }

    private AutomationView read(Document doc) {
        return JsonDocuments.read(mapper, doc.get("view", Document.class).toJson(RELAXED), AutomationView.class);
    }
}
