package dev.autoplane.command.config;

import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.command.web.IdempotencyStore;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * What the edge needs written together with a command, written in that command's unit of work and
 * database transaction, once its handler has accepted it: a subject key the edge made for a value
 * the command carries ({@link FieldCipher#seal}), and the mark that the command an
 * {@code Idempotency-Key} reserved has committed. A command that fails writes neither; one that
 * commits writes both, whatever happens to the request afterwards. They travel as command
 * metadata, so this holds wherever the command is handled; the request metadata copied onto
 * events is a fixed list of keys that does not include these.
 */
@Component
public class CommandTransactionWrites {

    private static final String SUBJECT_KEY = "autoplane.new_subject_key";
    private static final String IDEMPOTENCY_SCOPE = "autoplane.idempotency.scope";
    private static final String IDEMPOTENCY_KEY = "autoplane.idempotency.key";
    private static final String IDEMPOTENCY_HASH = "autoplane.idempotency.request_hash";
    private static final String IDEMPOTENCY_RESOURCE = "autoplane.idempotency.resource_id";

    private final FieldCipher cipher;
    private final IdempotencyStore idempotency;

    CommandTransactionWrites(FieldCipher cipher, IdempotencyStore idempotency) {
        this.cipher = cipher;
        this.idempotency = idempotency;
    }

    /** Metadata that stores this new subject key with the command (none when {@code sealed} needed no new key). */
    public static MetaData newSubjectKey(FieldCipher.Sealed sealed) {
        return sealed == null || sealed.newKey() == null ? MetaData.emptyInstance()
                : MetaData.with(SUBJECT_KEY, sealed.newKey());
    }

    /** Metadata that marks this key's reservation committed with the command. */
    public static MetaData idempotency(String scope, String key, String requestHash, String resourceId) {
        Map<String, Object> values = new HashMap<>();
        values.put(IDEMPOTENCY_SCOPE, scope);
        values.put(IDEMPOTENCY_KEY, key);
        values.put(IDEMPOTENCY_HASH, requestHash);
        values.put(IDEMPOTENCY_RESOURCE, resourceId);
        return MetaData.from(values);
    }

    /** The interceptor (a plain method, not an interceptor bean, which Axon would register a second time). */
    public MessageHandlerInterceptor<CommandMessage<?>> interceptor() {
        return this::handle;
    }

    private Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        MetaData metaData = unitOfWork.getMessage().getMetaData();
        if (metaData.get(SUBJECT_KEY) instanceof String key) {
            cipher.storeNewKey(key);
        }
        if (metaData.get(IDEMPOTENCY_SCOPE) instanceof String scope) {
            idempotency.markCommitted(scope, (String) metaData.get(IDEMPOTENCY_KEY),
                    (String) metaData.get(IDEMPOTENCY_HASH), (String) metaData.get(IDEMPOTENCY_RESOURCE));
        }
        return result;
    }
}
