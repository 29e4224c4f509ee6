package dev.autoplane.query.schedules;

import dev.autoplane.query.JsonDocuments;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.bson.Document;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Optional;

/**
 * Schedule books in MongoDB (reactive driver, blocking at the projection boundary). The book is kept
 * as a JSON string, as the JDBC adapter keeps it, so any trigger config the command side accepted
 * round-trips exactly.
 */
public class MongoScheduleStore implements ScheduleStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MongoCollection<Document> collection;
    private final ObjectMapper mapper;

    public MongoScheduleStore(MongoDatabase database, ObjectMapper mapper) {
        this.collection = database.getCollection("automation_schedule");
        this.mapper = mapper;
    }

    @Override
    public void save(ScheduleBook book) {
        Document doc = new Document("_id", book.automationId())
                .append("workspace_id", book.workspaceId())
                .append("version", book.version())
                .append("json", write(book));
        try {
            Mono.from(collection.replaceOne(Filters.and(Filters.eq("_id", book.automationId()),
                    Filters.lt("version", book.version())), doc, new ReplaceOptions().upsert(true))).block(TIMEOUT);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // a newer version is stored already
        }
    }

    @Override
    public Optional<ScheduleBook> find(String automationId) {
        return Optional.ofNullable(Mono.from(collection.find(Filters.eq("_id", automationId)).first()).block(TIMEOUT))
                .map(d -> read(d.getString("json")));
    }

    @Override
    public void delete(String automationId) {
        Mono.from(collection.deleteOne(Filters.eq("_id", automationId))).block(TIMEOUT);
    }

    @Override
    public void clear() {
        Mono.from(collection.deleteMany(new Document())).block(TIMEOUT);
    }

    private String write(ScheduleBook book) {
        return JsonDocuments.write(mapper, book);
    }

    private ScheduleBook read(String json) {
        return JsonDocuments.read(mapper, json, ScheduleBook.class);
    }
}
