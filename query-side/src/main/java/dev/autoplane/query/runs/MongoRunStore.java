package dev.autoplane.query.runs;

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
import dev.autoplane.events.run.RunView;
import org.bson.Document;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs in MongoDB through the reactive driver, blocking at the projection boundary (Axon 4 ignores a
 * returned Mono). The view is kept as a JSON string (free-form inputs and outputs round-trip exactly,
 * whatever their numbers); the fields the listings filter on are top-level and indexed.
 */
public class MongoRunStore extends MongoDocumentCollection<RunView> implements RunStore {

    private final MongoCollection<Document> summaries;

    public MongoRunStore(MongoDatabase database, ObjectMapper mapper) {
        this(database, mapper, "");
    }

    /** Over the collection(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public MongoRunStore(MongoDatabase database, ObjectMapper mapper, String suffix) {
        super(database, "run_view" + suffix, mapper, RunView.class, Holds.JSON_STRING);
        this.summaries = database.getCollection("run_summary" + suffix);
        for (var index : List.of(Indexes.descending("workspace_id", "_id"), Indexes.descending("automation_id", "_id"),
                Indexes.descending("automation_id", "trigger_id", "_id"), Indexes.descending("workspace_id", "status", "_id"))) {
            Mono.from(collection.createIndex(index, new IndexOptions())).block(TIMEOUT);
        }
    }

    @Override
    public void save(RunView run) {
        Document doc = document(run.id(), run)
                .append("workspace_id", run.workspaceId())
                .append("automation_id", run.automationId())
                .append("trigger_id", run.triggerId())
                .append("status", run.status())
                .append("scheduled_at", RunStore.micros(run.scheduledAt()))
                .append("version", run.version());
        replaceIfNewer(run.id(), run.version(), doc); // a newer version stored already stays: a replayed event changes nothing
    }

    @Override
    public Optional<RunView> find(String runId) {
        return findById(runId);
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
        deleteWhere("automation_id", automationId);
        Mono.from(summaries.deleteOne(Filters.eq("_id", automationId))).block(TIMEOUT);
    }

    @Override
    public void clear() {
        super.clear();
        Mono.from(summaries.deleteMany(new Document())).block(TIMEOUT);
    }

    /** Read, add, replace: the projection is the summaries' only writer. */
    @Override
    public void addToSummaries(Collection<RunSummary> deltas) {
        Map<String, RunSummary> stored = summaries(deltas.stream().map(RunSummary::automationId).toList());
        for (RunSummary d : deltas) {
            RunSummary sum = stored.getOrDefault(d.automationId(), new RunSummary(d.automationId(), null, null, null)).plus(d);
            Document doc = new Document("_id", sum.automationId()).append("last_run_id", sum.lastRunId())
                    .append("last_run_status", sum.lastRunStatus());
            sum.counts().forEach(doc::append);
            Mono.from(summaries.replaceOne(Filters.eq("_id", sum.automationId()), doc, new ReplaceOptions().upsert(true)))
                    .block(TIMEOUT);
        }
    }

    @Override
    public Map<String, RunSummary> summaries(Collection<String> automationIds) {
        Map<String, RunSummary> out = new HashMap<>();
        if (automationIds.isEmpty()) {
            return out;
        }
        for (Document doc : Flux.from(summaries.find(Filters.in("_id", automationIds))).collectList().block(TIMEOUT)) {
            Map<String, Long> counts = new HashMap<>();
            RunStore.STATUSES.forEach(s -> counts.put(s, doc.get(s) instanceof Number n ? n.longValue() : 0L));
            out.put(doc.getString("_id"), new RunSummary(doc.getString("_id"), doc.getString("last_run_id"),
                    doc.getString("last_run_status"), counts));
        }
        return out;
    }
}
