package dev.retention.programme.messaging;

import dev.retention.programme.application.ProgrammeProblems;
import dev.retention.programme.application.PublishInitialProgramme;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At start, after Flyway's migrations: the configured programme gets version 1 if it has none. The service does not
 * start without it; an initial document that is not valid stops the start with every violation in the log.
 */
@ApplicationScoped
public class FirstStart {

    private static final Logger LOG = Logger.getLogger(FirstStart.class);

    void onStart(@Observes StartupEvent event, PublishInitialProgramme initial) throws Throwable {
        try {
            // Hibernate Reactive needs a Vert.x context; the start-up thread has none.
            VertxContextSupport.subscribeAndAwait(initial::publishIfNone).ifPresentOrElse(
                    version -> LOG.infof("published version 1 of the programme, effective from %s",
                            version.effectiveFrom()),
                    () -> LOG.debug("the programme has a version already"));
        } catch (ProgrammeProblems.InvalidProgramme e) {
            LOG.errorf("the initial programme (retention.programme.initial-document) is not valid: %s",
                    e.violations());
            throw e;
        }
    }
}
