package dev.autoplane.platform.web.docs;

import com.fasterxml.jackson.databind.JavaType;
import dev.autoplane.platform.web.json.Given;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import org.openapitools.jackson.nullable.JsonNullable;

import java.util.Iterator;
import java.util.Set;

/**
 * Documents a wrapper as what it wraps: a {@code JsonNullable<T>} record component (absent, null or
 * a value on the wire) as {@code T}, and a {@link Given Given<T>} request body as its record
 * {@code T}, so the typed request records are the schemas of the OpenAPI document.
 */
final class WrapperSchemas implements ModelConverter {

    private static final Set<Class<?>> WRAPPERS = Set.of(JsonNullable.class, Given.class);

    @Override
    @SuppressWarnings("rawtypes")
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        JavaType javaType = type.getType() == null ? null : Json.mapper().constructType(type.getType());
        if (javaType != null && WRAPPERS.contains(javaType.getRawClass())) {
            return context.resolve(new AnnotatedType()
                    .type(javaType.containedTypeOrUnknown(0))
                    .ctxAnnotations(type.getCtxAnnotations())
                    .parent(type.getParent())
                    .schemaProperty(type.isSchemaProperty())
                    .name(type.getName())
                    .propertyName(type.getPropertyName())
                    .resolveAsRef(type.isResolveAsRef())
                    .jsonViewAnnotation(type.getJsonViewAnnotation())
                    .skipOverride(true));
        }
        return chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
    }
}
