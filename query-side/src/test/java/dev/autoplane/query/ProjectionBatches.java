package dev.autoplane.query;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;

/** Runs projection handlers the way a tracking processor does: inside one unit of work (one batch) that then commits. */
public final class ProjectionBatches {

    private ProjectionBatches() {
    }

    public static void batch(Runnable handlers) {
        DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch")).execute(handlers);
    }
}
