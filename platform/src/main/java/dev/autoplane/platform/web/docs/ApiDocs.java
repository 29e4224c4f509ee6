package dev.autoplane.platform.web.docs;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import java.util.Map;

/**
 * Helpers for the OpenAPI customizers: endpoints that answer maps (to keep the wire contract exact)
 * get their response schemas attached here from documentation records. Request bodies are typed
 * records, documented as they are bound.
 */
public final class ApiDocs {

    private ApiDocs() {
    }

    /** Registers {@code type} (and what it references) as component schemas; answers a $ref to it. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Schema<?> schema(OpenAPI api, Class<?> type) {
        ResolvedSchema resolved = ModelConverters.getInstance(true).readAllAsResolvedSchema(new AnnotatedType(type).resolveAsRef(false));
        if (resolved == null || resolved.schema == null) {
            return new Schema<>().type("object");
        }
        if (api.getComponents() == null) {
            api.components(new io.swagger.v3.oas.models.Components());
        }
        Map<String, Schema> referenced = resolved.referencedSchemas;
        if (referenced != null) {
            referenced.forEach(api.getComponents()::addSchemas);
        }
        String name = resolved.schema.getName() != null ? resolved.schema.getName() : type.getSimpleName();
        api.getComponents().addSchemas(name, resolved.schema);
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    public static Operation operation(OpenAPI api, String path, PathItem.HttpMethod method) {
        PathItem item = api.getPaths() == null ? null : api.getPaths().get(path);
        return item == null ? null : item.readOperationsMap().get(method);
    }

    /** Sets the JSON schema of one response of one operation (if the operation exists). */
    public static void response(OpenAPI api, String path, PathItem.HttpMethod method, String status, String description,
                                Class<?> type) {
        Operation op = operation(api, path, method);
        if (op == null) {
            return;
        }
        if (op.getResponses() == null) {
            op.setResponses(new ApiResponses());
        }
        if (!status.equals("200")) {
            op.getResponses().remove("200");
        }
        ApiResponse response = new ApiResponse().description(description);
        if (type != null) {
            response.content(new Content().addMediaType("application/json", new MediaType().schema(schema(api, type))));
        }
        op.getResponses().addApiResponse(status, response);
    }

    /**
     * Documents an operation's JSON request body with {@code type}'s schema, for endpoints that still
     * bind a map (the executors' reports: their typed binding is still to come).
     */
    public static void requestBody(OpenAPI api, String path, PathItem.HttpMethod method, Class<?> type, boolean required) {
        Operation op = operation(api, path, method);
        if (op == null) {
            return;
        }
        op.setRequestBody(new RequestBody().required(required)
                .content(new Content().addMediaType("application/json", new MediaType().schema(schema(api, type)))));
    }
}
