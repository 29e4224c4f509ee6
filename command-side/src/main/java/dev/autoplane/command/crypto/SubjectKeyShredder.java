package dev.autoplane.command.crypto;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Crypto-shredding as part of the purge: a subscribing processor destroys the automation's keys in
 * the transaction that appends {@link AutomationPurgedEvent}, so a purge that commits has shredded
 * and one that rolls back has not. (Shredding after the command, from the request, left keys alive
 * when the client hung up in between.)
 */
@Component
@ProcessingGroup(SubjectKeyShredder.PROCESSING_GROUP)
public class SubjectKeyShredder {

    public static final String PROCESSING_GROUP = "subject-keys";

    private final FieldCipher cipher;

    SubjectKeyShredder(FieldCipher cipher) {
        this.cipher = cipher;
    }

    @EventHandler
    void on(AutomationPurgedEvent event) {
        cipher.shred(event.automationId());
    }
}
