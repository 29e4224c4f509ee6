package dev.autoplane.platform.web.auth;

import dev.autoplane.events.common.Actor;
import dev.autoplane.platform.web.problem.ApiProblem;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.util.Set;

/**
 * The installation's operators ({@code autoplane.operators}, default {@code admin}): the people who
 * may use {@code /api/v1/admin/**} and who have authority over every user. One place, so the admin
 * endpoints and the identity rules cannot disagree about who they are.
 */
@Component
public class Operators {

    private final Set<String> userIds;

    public Operators(@Value("${autoplane.operators:admin}") Set<String> userIds) {
        this.userIds = Set.copyOf(userIds);
    }

    /** Whether this user id names an operator (whoever presents it). */
    public boolean isOperatorId(String userId) {
        return userIds.contains(userId);
    }

    /** Whether the actor is a person who is an operator (service accounts never are). */
    public boolean is(Actor actor) {
        return actor.isPerson() && userIds.contains(actor.id());
    }

    /** Refuses ({@code 403}) a caller who is not an operator; {@code what} completes "only operators may …". */
    public void require(ServerWebExchange exchange, String what) {
        if (!is(AuthenticatedPrincipal.of(exchange).actor())) {
            throw ApiProblem.forbidden("only operators (autoplane.operators) may " + what);
        }
    }
}
