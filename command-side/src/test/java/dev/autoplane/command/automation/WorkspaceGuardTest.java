package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationCommands;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.ScheduleCommands;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.WorkspaceScoped;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.autoplane.command.automation.AutomationTest.ALICE;
import static dev.autoplane.command.automation.AutomationTest.ID;
import static dev.autoplane.command.automation.AutomationTest.T1;
import static dev.autoplane.command.automation.AutomationTest.WS;
import static dev.autoplane.command.automation.AutomationTest.created;
import static dev.autoplane.command.automation.AutomationTest.domainError;
import static dev.autoplane.command.automation.AutomationTest.secret;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one guard, tried with every command an automation handles: each command that names a workspace
 * is {@link WorkspaceScoped} (so the guard sees it), and each is refused as not found for another
 * workspace, outside the caller's teams, and (unless it is meant for deleted ones) once deleted.
 * A command type added without the interface fails here.
 */
class WorkspaceGuardTest {

    static final String OTHER_WS = "01900000-0000-7000-8000-000000000999";
    static final String OTHER_TEAM = "01900000-0000-7000-8000-00000000beef";

    /** Every command record of the automation that names a workspace, but creation (no instance to guard yet). */
    static Stream<Class<?>> scopedCommands() {
        return Stream.of(AutomationCommands.class, ScheduleCommands.class, dev.autoplane.events.automation.RevisionCommands.class)
                .flatMap(c -> Arrays.stream(c.getDeclaredClasses()))
                .filter(Class::isRecord)
                .filter(c -> Arrays.stream(c.getRecordComponents()).anyMatch(rc -> rc.getName().equals("workspaceId")))
                .filter(c -> c != AutomationCommands.CreateAutomationCommand.class);
    }

    @ParameterizedTest
    @MethodSource("scopedCommands")
    void everyCommandNamingAWorkspaceIsGuarded(Class<?> type) {
        assertThat(WorkspaceScoped.class.isAssignableFrom(type)).as(type.getSimpleName() + " implements WorkspaceScoped")
                .isTrue();
    }

    @ParameterizedTest
    @MethodSource("scopedCommands")
    void anotherWorkspacesAutomationIsNotFound(Class<?> type) throws Exception {
        fixture().given(created(), secret()).when(command(type, OTHER_WS, List.of()))
                .expectException(domainError(DomainException.Kind.NOT_FOUND, "automation_not_found"));
    }

    @ParameterizedTest
    @MethodSource("scopedCommands")
    void aCallerLimitedToOtherTeamsIsRefused(Class<?> type) throws Exception {
        fixture().given(created(), secret()).when(command(type, WS, List.of(OTHER_TEAM)))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "outside_team_scope"));
    }

    @ParameterizedTest
    @MethodSource("scopedCommands")
    void aDeletedAutomationIsNotFoundUnlessTheCommandIsForDeletedOnes(Class<?> type) throws Exception {
        Object command = command(type, WS, List.of());
        var result = fixture().given(created(), secret(), new AutomationDeletedEvent(ID, WS, T1, T1, ALICE)).when(command);
        if (((WorkspaceScoped) command).reachesDeleted()) {
            result.expectSuccessfulHandlerExecution();
        } else {
            result.expectException(domainError(DomainException.Kind.NOT_FOUND, "automation_not_found"));
        }
    }

    private static FixtureConfiguration<Automation> fixture() {
        return Commands.fixture();
    }

    /** The command with this workspace and team limit, every other component a plausible neutral value. */
    private static Object command(Class<?> type, String workspaceId, List<String> teamLimit) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = value(components[i], workspaceId, teamLimit);
        }
        var constructor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                .toArray(Class<?>[]::new));
        return constructor.newInstance(values);
    }

    private static Object value(RecordComponent c, String workspaceId, List<String> teamLimit) {
        return switch (c.getName()) {
            case "automationId" -> ID;
            case "workspaceId" -> workspaceId;
            case "teamLimit" -> teamLimit;
            case "startTime" -> T1.minusSeconds(7200);
            case "endTime" -> T1.minusSeconds(60);
            default -> neutral(c.getType());
        };
    }

    private static Object neutral(Class<?> type) {
        if (type == String.class) {
            return "x";
        }
        if (type == Instant.class) {
            return T1;
        }
        if (type == Actor.class) {
            return ALICE;
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == List.class) {
            return List.of();
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        return null;
    }
}
