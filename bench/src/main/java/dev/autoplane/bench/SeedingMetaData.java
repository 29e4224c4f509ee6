package dev.autoplane.bench;

import dev.autoplane.events.common.MetadataKeys;
import dev.autoplane.platform.Ids;
import org.axonframework.messaging.MetaData;

import java.util.HashMap;
import java.util.Map;

/** The metadata of what a benchmark seeds straight into the command side: the admin of a workspace, with a reason. */
final class SeedingMetaData {

    private SeedingMetaData() {
    }

    static MetaData of(String workspaceId, String adminId, String reason) {
        Map<String, Object> m = new HashMap<>();
        m.put(MetadataKeys.ACTOR_KIND, "user");
        m.put(MetadataKeys.ACTOR_ID, adminId);
        m.put(MetadataKeys.REQUEST_ID, Ids.newId());
        m.put(MetadataKeys.CORRELATION_ID, Ids.newId());
        m.put(MetadataKeys.WORKSPACE_ID, workspaceId);
        m.put(MetadataKeys.REASON, reason);
        return MetaData.from(m);
    }
}
