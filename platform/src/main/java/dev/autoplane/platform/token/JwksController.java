package dev.autoplane.platform.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Map;

/** {@code GET /.well-known/jwks.json} (public, on both sides): the keys that verify access tokens. */
@RestController
@Tag(name = "OAuth")
class JwksController {

    static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");

    private final SigningKeyRing keys;

    JwksController(SigningKeyRing keys) {
        this.keys = keys;
    }

    @Operation(summary = "The public keys (JWK set) that verify the access tokens this server signs",
            description = "Public, cacheable; includes keys published ahead of signing and retired keys until their last token has expired.")
    @GetMapping(path = "/.well-known/jwks.json", produces = {"application/jwk-set+json", MediaType.APPLICATION_JSON_VALUE})
    Mono<ResponseEntity<Map<String, Object>>> jwks() {
        return Mono.fromCallable(() -> ResponseEntity.ok().contentType(JWK_SET)
                        .cacheControl(CacheControl.maxAge(Duration.ofSeconds(30)).cachePublic()).body(keys.jwks()))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
