package dev.retention.eventing;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkedWorkTest {

    @Test
    void repeatsUntilAChunkSaysThereIsNoMoreAndCountsEveryChunk() {
        AtomicInteger runs = new AtomicInteger();

        int total = ChunkedWork.repeat(() -> Uni.createFrom().item(runs.incrementAndGet() < 4 ? 10 : 3),
                handled -> handled >= 10, Integer::intValue).await().indefinitely();

        assertThat(runs).hasValue(4);
        assertThat(total).isEqualTo(33);
    }

    @Test
    void aBacklogOfHundredThousandChunksRunsWithoutDeepeningTheStack() {
        AtomicInteger runs = new AtomicInteger();

        int total = ChunkedWork.repeat(() -> Uni.createFrom().item(runs.incrementAndGet()),
                run -> run < 100_000, run -> 1).await().indefinitely();

        assertThat(total).isEqualTo(100_000);
    }
}
