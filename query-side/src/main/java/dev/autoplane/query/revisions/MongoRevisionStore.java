package dev.autoplane.query.revisions;

import dev.autoplane.query.MongoDocumentCollection;
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
public class MongoRevisionStore extends MongoDocumentCollection<RevisionView> implements RevisionStore {

    public MongoRevisionStore(MongoDatabase database, ObjectMapper mapper) {
        this(database, mapper, "");
    }

    /** Over the collection(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public MongoRevisionStore(MongoDatabase database, ObjectMapper mapper, String suffix) {
        super(database, "automation_revision" + suffix, mapper, RevisionView.class, Holds.VIEW_DOCUMENT);
        Mono.from(collection.createIndex(Indexes.ascending("automation_id", "major", "minor"),
                new IndexOptions().name("automation_revision"))).block(TIMEOUT);
    }

    @Override
    public void save(RevisionView r) {
        Revision rev = Revision.parse(r.revision());
        Document doc = document(r.automationId() + ":" + r.revision(), r)
                .append("automation_id", r.automationId()).append("major", rev.major()).append("minor", rev.minor())
                .append("stage", r.stage());
        ignoringDuplicate(() -> Mono.from(collection.insertOne(doc)).block(TIMEOUT)); // a revision never changes
    }

    @Override
    public List<RevisionView> list(String automationId) {
        return documents(collection.find(Filters.eq("automation_id", automationId))
                .sort(Sorts.descending("major", "minor")));
    }

    @Override
    public Optional<RevisionView> find(String automationId, String revision) {
        return findById(automationId + ":" + Revision.parse(revision));
    }

    @Override
    public void deleteAll(String automationId) {
        deleteWhere("automation_id", automationId);
    }


}
