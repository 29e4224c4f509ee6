package dev.autoplane.query.automations;

import dev.autoplane.query.MongoDocumentCollection;
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
public class MongoAutomationStore extends MongoDocumentCollection<AutomationView> implements AutomationStore {

    public MongoAutomationStore(MongoDatabase database, ObjectMapper mapper) {
        this(database, mapper, "");
    }

    /** Over the collection(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public MongoAutomationStore(MongoDatabase database, ObjectMapper mapper, String suffix) {
        super(database, "automation_view" + suffix, mapper, AutomationView.class, Holds.VIEW_DOCUMENT);
        Mono.from(collection.createIndex(Indexes.ascending("workspace_id", "_id"), new IndexOptions().name("workspace_id_id")))
                .block(TIMEOUT);
    }

    @Override
    public void save(AutomationView view) {
        Document doc = document(view.id(), view)
                .append("workspace_id", view.workspaceId())
                .append("deleted", view.deleteTime() != null)
                .append("version", view.version());
        replaceIfNewer(view.id(), view.version(), doc); // a newer version stored already stays: a replayed event changes nothing
    }

    @Override
    public void delete(String automationId) {
        deleteWhere("_id", automationId);
    }

    @Override
    public Optional<AutomationView> find(String automationId) {
        return findById(automationId);
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



}
