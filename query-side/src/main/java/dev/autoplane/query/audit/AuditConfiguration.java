package dev.autoplane.query.audit;

import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit log where events live in the JDBC event store (embedded and postgres modes). In the distributed
 * mode events live in Axon Server and no {@code domain_event_entry} table exists: the audit endpoints are
 * not offered there yet (docs/audit.md "Modes").
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${autoplane.storage:embedded}' != 'distributed'")
public class AuditConfiguration {

    @Bean
    AuditLog auditLog(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer) {
        return new AuditLog(jdbc, serializer);
    }

    @Bean(destroyMethod = "stop")
    AuditStream auditStream(AuditLog log, @Value("${autoplane.audit.stream.buffer:1024}") int bufferSize) {
        return new AuditStream(log, bufferSize);
    }

    @Bean
    AuditLogProjection auditLogProjection(AuditLog log, AuditStream stream) {
        return new AuditLogProjection(log, stream);
    }
}
