package dev.autoplane.query.schedules;

import dev.autoplane.query.MongoDocumentCollection;
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
public class MongoScheduleStore extends MongoDocumentCollection<ScheduleBook> implements ScheduleStore {

    public MongoScheduleStore(MongoDatabase database, ObjectMapper mapper) {
        this(database, mapper, "");
    }

    /** Over the collection(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public MongoScheduleStore(MongoDatabase database, ObjectMapper mapper, String suffix) {
        super(database, "automation_schedule" + suffix, mapper, ScheduleBook.class, Holds.JSON_STRING);
    }

    @Override
    public void save(ScheduleBook book) {
        Document doc = document(book.automationId(), book)
                .append("workspace_id", book.workspaceId())
                .append("version", book.version());
        replaceIfNewer(book.automationId(), book.version(), doc); // a newer version stored already stays: a replayed event changes nothing
    }

    @Override
    public Optional<ScheduleBook> find(String automationId) {
        return findById(automationId);
    }

    @Override
    public void delete(String automationId) {
        deleteWhere("_id", automationId);
    }



}
