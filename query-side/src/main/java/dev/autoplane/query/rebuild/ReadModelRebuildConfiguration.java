package dev.autoplane.query.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/** The rebuild of the shared stream's read models, with the shadows of the read-model store in use. */
@Configuration(proxyBeanMethods = false)
public class ReadModelRebuildConfiguration {

    @Bean(destroyMethod = "stop")
    ReadModelRebuild readModelRebuild(EventStore eventStore, TokenStore tokenStore, ObjectProvider<TransactionManager> transactions,
                                      EventProcessingConfiguration processing, ShadowReadModels shadows, Clock clock,
                                      ObjectProvider<dev.autoplane.query.automations.AutomationProjection> automations) {
        return new ReadModelRebuild(eventStore, tokenStore, transactions.getIfAvailable(() -> NoTransactionManager.INSTANCE),
                processing, shadows, clock, () -> automations.ifAvailable(dev.autoplane.query.automations.AutomationProjection::forget));
    }

    @Bean
    @ConditionalOnExpression("'${autoplane.mongodb.uri:}' == ''")
    ShadowReadModels jdbcShadowReadModels(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return new JdbcShadowReadModels(jdbc, mapper);
    }

    @Bean
    @ConditionalOnExpression("'${autoplane.mongodb.uri:}' != ''")
    ShadowReadModels mongoShadowReadModels(MongoDatabase database, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return new MongoShadowReadModels(database, mapper);
    }
}
