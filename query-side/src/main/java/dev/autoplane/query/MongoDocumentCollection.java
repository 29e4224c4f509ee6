package dev.autoplane.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.FindPublisher;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What every MongoDB read-model adapter shares (reactive driver, blocking at the projection
 * boundary): one collection whose documents hold the view, either as a nested document ({@code view},
 * queryable) or as a JSON string ({@code json}, which round-trips exactly), beside indexed fields.
 */
public abstract class MongoDocumentCollection<T> {

    protected static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    /** Where a document keeps its view. */
    protected enum Holds { VIEW_DOCUMENT, JSON_STRING }

    protected final MongoCollection<Document> collection;
    private final ObjectMapper mapper;
    private final Class<T> type;
    private final Holds holds;

    protected MongoDocumentCollection(MongoDatabase database, String name, ObjectMapper mapper, Class<T> type, Holds holds) {
        this.collection = database.getCollection(name);
        this.mapper = mapper;
        this.type = type;
        this.holds = holds;
    }

    /** A stored document: {@code _id}, the view in its field, and the indexed fields the caller appends. */
    protected Document document(Object id, T view) {
        String json = JsonDocuments.write(mapper, view);
        return holds == Holds.VIEW_DOCUMENT ? new Document("_id", id).append("view", Document.parse(json))
                : new Document("_id", id).append("json", json);
    }

    protected T read(Document doc) {
        String json = holds == Holds.VIEW_DOCUMENT ? doc.get("view", Document.class).toJson(RELAXED) : doc.getString("json");
        return JsonDocuments.read(mapper, json, type);
    }

    protected Optional<T> findById(Object id) {
        return Optional.ofNullable(Mono.from(collection.find(Filters.eq("_id", id)).first()).block(TIMEOUT)).map(this::read);
    }

    protected List<T> documents(FindPublisher<Document> find) {
        return Flux.from(find).map(this::read).collectList().block(TIMEOUT);
    }

    /** Stores {@code doc} unless a document of this id at {@code version} or newer is stored (a replay changes nothing). */
    protected void replaceIfNewer(Object id, long version, Document doc) {
        ignoringDuplicate(() -> Mono.from(collection.replaceOne(Filters.and(Filters.eq("_id", id), Filters.lt("version", version)),
                doc, new ReplaceOptions().upsert(true))).block(TIMEOUT));
    }

    /** Runs a write that may meet an existing document: that one stays (it is the same or newer). */
    protected static void ignoringDuplicate(Runnable write) {
        try {
            write.run();
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    protected void deleteWhere(String field, Object value) {
        Mono.from(collection.deleteMany(Filters.eq(field, value))).block(TIMEOUT);
    }

    /** Removes every document (a replay starts from nothing). */
    public void clear() {
        Mono.from(collection.deleteMany(new Document())).block(TIMEOUT);
    }
}
