package dev.autoplane.platform.web.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The generated OpenAPI document: snake_case schemas, bearer security on everything but the public
 * endpoints, and the problem+json error responses every endpoint can give.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocsConfiguration {

    private static final Set<String> PUBLIC = Set.of("/api/v1/oauth/token");

    @Bean
    public OpenAPI autoplaneOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Autoplane API").version("v1")
                        .contact(new Contact().name("Autoplane maintainers"))
                        .description("Event-sourced automation control plane. Errors are RFC 9457 problem+json; "
                                + "lists are keyset-paginated (page_size, page_token); writes accept If-Match."))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("A personal access token (ap_pat_…), an automation's access token "
                                        + "(an ES256 JWT from POST /api/v1/oauth/token) or, if configured, a person's OIDC JWT")));
    }

    /** Schemas follow the wire format: snake_case property names, RFC 3339 times. */
    @Bean
    public ModelResolver snakeCaseModelResolver() {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        return new ModelResolver(mapper);
    }

    /** {@code JsonNullable<T>} and {@code Given<T>} are documented as {@code T} (first in the converter chain). */
    @Bean
    @org.springframework.core.annotation.Order(org.springframework.core.Ordered.LOWEST_PRECEDENCE)
    public io.swagger.v3.core.converter.ModelConverter wrapperSchemas() {
        return new WrapperSchemas();
    }

    @Bean
    public GlobalOpenApiCustomizer problemResponses() {
        return api -> {
            Schema<?> problem = ApiDocs.schema(api, ProblemDocument.class);
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                if (!path.startsWith("/api/v1/")) {
                    return;
                }
                if (!PUBLIC.contains(path)) {
                    op.addSecurityItem(new SecurityRequirement().addList("bearer"));
                }
                Map<String, String> errors = new LinkedHashMap<>();
                errors.put("400", "Invalid input: field errors in `errors`");
                if (!PUBLIC.contains(path)) {
                    errors.put("401", "Missing, malformed, unknown, revoked or expired token");
                    errors.put("403", "The caller lacks the permission");
                }
                errors.put("404", "No such resource (or not visible to the caller)");
                errors.put("406", "Only application/json is produced");
                if (method != PathItem.HttpMethod.GET) {
                    errors.put("409", "Conflict with the current state (e.g. illegal status transition, name taken)");
                    errors.put("412", "If-Match does not match the current version");
                    errors.put("413", "Body over 1 MiB");
                    errors.put("415", "Body is not application/json");
                }
                errors.put("500", "Unexpected failure (logged with the request id)");
                errors.forEach((status, description) -> {
                    if (op.getResponses() != null && !op.getResponses().containsKey(status)) {
                        op.getResponses().addApiResponse(status, new ApiResponse().description(description)
                                .content(new Content().addMediaType("application/problem+json", new MediaType().schema(problem))));
                    }
                });
            }));
        };
    }
}
