package dev.autoplane.query.revisions;

import java.util.List;
import java.util.Optional;

/** The revision read model's port (JDBC and MongoDB adapters, one contract test suite). */
public interface RevisionStore {

    /** Stores the snapshot unless that revision exists (revisions are immutable; replays change nothing). */
    void save(RevisionView revision);

    /** Newest first. */
    List<RevisionView> list(String automationId);

    Optional<RevisionView> find(String automationId, String revision);

    void deleteAll(String automationId);

    void clear();
}
