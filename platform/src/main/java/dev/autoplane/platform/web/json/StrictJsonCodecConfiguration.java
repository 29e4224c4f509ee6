package dev.autoplane.platform.web.json;

import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The HTTP request decoder: the application's JSON mapper (snake_case, unknown fields and duplicate
 * keys refused) plus the declared type only — no scalar coercion ({@code "5"} is not a number,
 * {@code 1} is not {@code true}, {@code 12345} is not a string, {@code 1.5} is not an integer) — and
 * {@link StrictTextModule} for every string. One decoder reads every body of every endpoint, so no
 * endpoint can forget these rules; what it refuses becomes {@code 400 validation_failed} with the
 * field's path (see {@code ProblemExceptionHandler}). A {@link Given} body is read field by field
 * instead, so that an aggregate's field rules can report every violation at once.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonCodecConfiguration {

    /** Runs after Boot's own Jackson codec customizer, replacing only its decoder. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    CodecCustomizer strictJsonDecoder(JsonMapper json) {
        JsonMapper strict = strict(json);
        return configurer -> configurer.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(strict));
    }

    /** {@code json} with the request rules added. */
    public static JsonMapper strict(JsonMapper json) {
        return json.rebuild()
                .addModule(new StrictTextModule())
                .addModule(new tools.jackson.databind.module.SimpleModule("autoplane-given")
                        .addDeserializer(Given.class, givenDeserializer()))
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // a JSON value of another type is refused, never converted (a number is not a string, "1" not a number)
                .withCoercionConfig(LogicalType.Textual, c -> refuse(c, CoercionInputShape.Integer, CoercionInputShape.Float,
                        CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Integer, c -> refuse(c, CoercionInputShape.String, CoercionInputShape.Float,
                        CoercionInputShape.Boolean, CoercionInputShape.EmptyString))
                .withCoercionConfig(LogicalType.Float, c -> refuse(c, CoercionInputShape.String, CoercionInputShape.Boolean,
                        CoercionInputShape.EmptyString))
                .withCoercionConfig(LogicalType.Boolean, c -> refuse(c, CoercionInputShape.String, CoercionInputShape.Integer,
                        CoercionInputShape.Float, CoercionInputShape.EmptyString))
                .build();
    }

    private static void refuse(tools.jackson.databind.cfg.MutableCoercionConfig config, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static tools.jackson.databind.ValueDeserializer<Given> givenDeserializer() {
        return (tools.jackson.databind.ValueDeserializer) new GivenDeserializer();
    }
}
