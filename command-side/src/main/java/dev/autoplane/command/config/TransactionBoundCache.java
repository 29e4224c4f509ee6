package dev.autoplane.command.config;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.function.UnaryOperator;

/**
 * The aggregate cache, bound to the database transaction a command runs in. Axon removes a cached
 * aggregate when the command's unit of work rolls back; but several commands may share one
 * database transaction (the scheduling engine delivers a batch of fires in one, so the batch costs
 * one commit; group commit runs concurrent HTTP commands in one, see {@code GroupCommit}), and when
 * that transaction rolls back after a command's unit of work has finished,
 * the cache would keep state whose events were never stored. Here every entry written inside a
 * transaction is removed again if that transaction does not commit.
 */
final class TransactionBoundCache implements Cache {

    private final Cache delegate;

    TransactionBoundCache(Cache delegate) {
        this.delegate = delegate;
    }

    private void forgetOnRollback(Object key) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        delegate.remove(key);
                    }
                }
            });
        }
    }

    @Override
    public <K, V> V get(K key) {
        return delegate.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        forgetOnRollback(key);
        delegate.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        forgetOnRollback(key);
        return delegate.putIfAbsent(key, value);
    }

    @Override
    public <T> T computeIfAbsent(Object key, java.util.function.Supplier<T> valueSupplier) {
        forgetOnRollback(key);
        return delegate.computeIfAbsent(key, valueSupplier);
    }

    @Override
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        forgetOnRollback(key);
        delegate.computeIfPresent(key, update);
    }

    @Override
    public boolean remove(Object key) {
        return delegate.remove(key);
    }

    @Override
    public void removeAll() {
        delegate.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return delegate.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(Cache.EntryListener cacheEntryListener) {
        return delegate.registerCacheEntryListener(cacheEntryListener);
    }
}
