package dev.autoplane.platform.automation;

import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.platform.scheduling.SourceBook;

/**
 * What a command to an automation answers: the automation exactly as that command left it (its
 * events folded by {@link AutomationDocument}, the same fold as the read model's), and its time
 * sources. Built by the aggregate from its own state and returned with the command's result, so an
 * answer is never stale, whichever node handled the command and however far the projections lag.
 */
public record AutomationAnswer(AutomationView automation, SourceBook.State schedule) {

    public static AutomationAnswer of(AutomationDocument document) {
        return new AutomationAnswer(document.toView(), document.book().state());
    }

    /** The ETag of the answer: the automation's version (its last event's sequence number). */
    public String etag() {
        return "\"" + automation.version() + "\"";
    }
}
