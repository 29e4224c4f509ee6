package dev.autoplane.platform.access;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Where this node projects every access change itself (the embedded mode: {@code autoplane.access.cache}
 * is on there by default), the request path reads the access lookups from memory
 * ({@link CachedAccessDirectory}); elsewhere every lookup is a query, as a change projected on another
 * node must take effect on the next request here.
 */
@Configuration(proxyBeanMethods = false)
class AccessCacheConfiguration {

    @Bean
    @Primary
    @ConditionalOnProperty(name = "autoplane.access.cache", havingValue = "true")
    CachedAccessDirectory cachedAccessDirectory(JdbcAccessDirectory rows,
                                                @Value("${autoplane.access.cache-size:100000}") long maxEntries) {
        return new CachedAccessDirectory(rows, maxEntries);
    }
}
