package dev.retention.eventing;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/** Work that a service's jobs and dispatcher do a chunk (and a transaction) at a time. */
public final class ChunkedWork {

    private ChunkedWork() {
    }

    /**
     * Runs {@code chunk} again as long as {@code more} says so of the chunk just done, and sums {@code count} over
     * all chunks. A loop, not a recursion: a backlog of thousands of chunks must neither build a chain that long nor
     * keep every chunk's result until the run ends.
     */
    public static <T> Uni<Integer> repeat(Supplier<Uni<? extends T>> chunk, Predicate<T> more,
                                         ToIntFunction<T> count) {
        return Multi.createBy().repeating().uni(chunk).whilst(more).collect().with(Collectors.summingInt(count));
    }
}
