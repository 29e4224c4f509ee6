package dev.autoplane.query.revisions;

import dev.autoplane.query.JsonDocuments;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import dev.autoplane.events.common.Revision;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Revision snapshots in MongoDB (reactive driver; blocking at the projection boundary). */
public class MongoRevisionStore implements RevisionStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private final MongoCollection<Document> collection;
    private final ObjectMapper mapper;

    public MongoRevisionStore(MongoDatabase database, ObjectMapper mapper) {
        this.collection = database.getCollection("automation_revision");
        this.mapper = mapper;
        Mono.from(collection.createIndex(Indexes.ascending("automation_id", "major", "minor"),
                new IndexOptions().name("automation_revision"))).block(TIMEOUT);
    }

    @Override
    public void save(RevisionView r) {
        Revision rev = Revision.parse(r.revision());
        try {
            Document doc = new Document("_id", r.automationId() + ":" + r.revision())
                    .append("automation_id", r.automationId()).append("major", rev.major()).append("minor", rev.minor())
                    .append("stage", r.stage()).append("view", Document.parse(JsonDocuments.write(mapper, r)));
            Mono.from(collection.insertOne(doc)).block(TIMEOUT);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    @Override
    public List<RevisionView> list(String automationId) {
        return Flux.from(collection.find(Filters.eq("automation_id", automationId))
                .sort(Sorts.descending("major", "minor"))).map(this::read).collectList().block(TIMEOUT);
    }

    @Override
    public Optional<RevisionView> find(String automationId, String revision) {
        return Optional.ofNullable(Mono.from(collection.find(Filters.eq("_id", automationId + ":"
                + Revision.parse(revision))).first()).block(TIMEOUT)).map(this::read);
    }

    @Override
    public void deleteAll(String automationId) {
        Mono.from(collection.deleteMany(Filters.eq("automation_id", automationId))).block(TIMEOUT);
    }

    @Override
    public void clear() {
        Mono.from(collection.deleteMany(new Document())).block(TIMEOUT);
    }

    private RevisionView read(Document doc) {
        return JsonDocuments.read(mapper, doc.get("view", Document.class).toJson(RELAXED), RevisionView.class);
    }
}
