package dev.autoplane.query.web;

import dev.autoplane.query.filter.CelFilter;
import io.axoniq.axonserver.grpc.control.NodeInfo;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protobuf runtime satisfies every generated class on the classpath: cel-java's (list filters) and
 * the Axon Server connector's (the distributed mode), in one JVM. With a runtime older than the
 * connector's gencode, loading {@code NodeInfo} fails with {@code ProtobufRuntimeVersionException} and
 * no process of the distributed mode starts (issue 9, defect 1).
 */
class ProtobufRuntimeTest {

    @Test
    void axonServerMessagesAndCelFiltersLoadTogether() throws Exception {
        NodeInfo node = NodeInfo.newBuilder().setNodeName("node-1").setHostName("localhost").setGrpcPort(8124).build();
        assertThat(NodeInfo.parseFrom(node.toByteString())).isEqualTo(node);

        var filter = new CelFilter(AutomationQueryController.AUTOMATION_FIELDS).compile("status == \"active\"");
        Map<String, Object> item = new java.util.HashMap<>();
        AutomationQueryController.AUTOMATION_FIELDS.keySet().forEach(k -> item.put(k, ""));
        item.put("status", "active");
        assertThat(filter.test(item)).isTrue();
    }
}
