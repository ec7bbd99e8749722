package dev.retention.eventing;

import io.vertx.mutiny.sqlclient.Tuple;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A table's columns described once (name, SQL type, how to read the value from a row object), from which the
 * set-based statements that write many rows in one round trip are built: {@code unnest($1::text[], $2::bigint[], ...)}
 * and the parameter arrays that go with it, in the same order.
 *
 * <pre>{@code
 * ColumnBinder<Order> ORDERS = ColumnBinder.<Order>builder()
 *         .text("order_id", Order::id).numeric("value", Order::value).timestamptz("placed_at", Order::placedAt)
 *         .build();
 * "INSERT INTO orders (" + ORDERS.names() + ") SELECT * FROM " + ORDERS.unnest();
 * tx.preparedQuery(statement).execute(ORDERS.arrays(orders));
 * }</pre>
 */
public final class ColumnBinder<T> {

    /** The PostgreSQL array types the services write, each with the Java element type the client sends. */
    public enum SqlType {
        TEXT("text", String.class),
        UUID("uuid", java.util.UUID.class),
        BOOLEAN("boolean", Boolean.class),
        INTEGER("int", Integer.class),
        BIGINT("bigint", Long.class),
        NUMERIC("numeric", BigDecimal.class),
        DATE("date", LocalDate.class),
        TIMESTAMPTZ("timestamptz", java.time.OffsetDateTime.class);

        private final String name;
        private final Class<?> elementType;

        SqlType(String name, Class<?> elementType) {
            this.name = name;
            this.elementType = elementType;
        }

        public String sqlName() {
            return name;
        }
    }

    /** One column: its name, its type, and how a row object gives its value (already of the element type). */
    public record Column<T>(String name, SqlType type, Function<? super T, ?> value) {
    }

    private final List<Column<T>> columns;

    private ColumnBinder(List<Column<T>> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a binder needs a column");
        }
        this.columns = List.copyOf(columns);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    public List<Column<T>> columns() {
        return columns;
    }

    /** {@code a, b, c}: for a column list or a select list. */
    public String names() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /** The names but those given: for a select list that leaves a written-only column out. */
    public String namesWithout(String... left) {
        Set<String> skipped = Set.of(left);
        return columns.stream().map(Column::name).filter(name -> !skipped.contains(name))
                .collect(Collectors.joining(", "));
    }

    /** {@code unnest($1::text[], $2::bigint[], ...)}, the parameters numbered from 1. */
    public String unnest() {
        return unnest(1);
    }

    /** The same with the parameters numbered from {@code firstParameter}, for a statement with others before them. */
    public String unnest(int firstParameter) {
        return IntStream.range(0, columns.size())
                .mapToObj(i -> "$" + (firstParameter + i) + "::" + columns.get(i).type().sqlName() + "[]")
                .collect(Collectors.joining(", ", "unnest(", ")"));
    }

    /** {@code unnest(...) AS alias(a, b, c)}: the rows as a table the statement can name. */
    public String unnestAs(String alias) {
        return unnest() + " AS " + alias + "(" + names() + ")";
    }

    /** {@code INSERT INTO table (a, b, c) SELECT * FROM unnest(...)}. */
    public String insertInto(String table) {
        return "INSERT INTO " + table + " (" + names() + ") SELECT * FROM " + unnest();
    }

    /** {@code b = alias.b, c = alias.c}: every column but the {@code keys}, set from the rows named {@code alias}. */
    public String assignments(String alias, String... keys) {
        Set<String> skipped = Set.of(keys);
        return columns.stream().map(Column::name).filter(name -> !skipped.contains(name))
                .map(name -> name + " = " + alias + "." + name).collect(Collectors.joining(", "));
    }

    /**
     * {@code UPDATE table t SET b = u.b, ... FROM unnest(...) AS u(...) WHERE t.key = u.key}: every column but the key
     * written back to the rows the key names.
     */
    public String updateByKey(String table, String key) {
        return "UPDATE " + table + " t SET " + assignments("u", key) + " FROM " + unnestAs("u")
                + " WHERE t." + key + " = u." + key;
    }

    /** One array per column, in the order of {@link #unnest()}: row {@code i} of each array is {@code rows}' i-th. */
    public Tuple arrays(Collection<? extends T> rows) {
        return addArrays(Tuple.tuple(), rows);
    }

    /** Appends the arrays to a tuple that holds parameters before them (see {@link #unnest(int)}). */
    public Tuple addArrays(Tuple tuple, Collection<? extends T> rows) {
        int n = rows.size();
        Object[][] arrays = new Object[columns.size()][];
        for (int c = 0; c < arrays.length; c++) {
            arrays[c] = (Object[]) Array.newInstance(columns.get(c).type().elementType, n);
        }
        int i = 0;
        for (T row : rows) {
            for (int c = 0; c < arrays.length; c++) {
                arrays[c][i] = columns.get(c).value().apply(row);
            }
            i++;
        }
        for (Object[] array : arrays) {
            tuple.addValue(array);
        }
        return tuple;
    }

    @Override
    public String toString() {
        return "ColumnBinder" + Arrays.toString(columns.stream().map(c -> c.name() + " " + c.type().sqlName())
                .toArray());
    }

    /** Columns in the order of the statement's parameters. */
    public static final class Builder<T> {
        private final List<Column<T>> columns = new ArrayList<>();

        private Builder() {
        }

        public Builder<T> text(String name, Function<? super T, String> value) {
            return add(name, SqlType.TEXT, value);
        }

        /** A {@code uuid} column from its text form (null stays null). */
        public Builder<T> uuid(String name, Function<? super T, String> value) {
            return add(name, SqlType.UUID, row -> {
                String text = value.apply(row);
                return text == null ? null : java.util.UUID.fromString(text);
            });
        }

        public Builder<T> bool(String name, Function<? super T, Boolean> value) {
            return add(name, SqlType.BOOLEAN, value);
        }

        public Builder<T> integer(String name, Function<? super T, Integer> value) {
            return add(name, SqlType.INTEGER, value);
        }

        public Builder<T> bigint(String name, Function<? super T, Long> value) {
            return add(name, SqlType.BIGINT, value);
        }

        public Builder<T> numeric(String name, Function<? super T, BigDecimal> value) {
            return add(name, SqlType.NUMERIC, value);
        }

        public Builder<T> date(String name, Function<? super T, LocalDate> value) {
            return add(name, SqlType.DATE, value);
        }

        /** A {@code timestamptz} column from an instant (null stays null). */
        public Builder<T> timestamptz(String name, Function<? super T, Instant> value) {
            return add(name, SqlType.TIMESTAMPTZ, row -> SqlValues.timestamp(value.apply(row)));
        }

        public ColumnBinder<T> build() {
            return new ColumnBinder<>(columns);
        }

        private Builder<T> add(String name, SqlType type, Function<? super T, ?> value) {
            if (columns.stream().anyMatch(c -> c.name().equals(name))) {
                throw new IllegalArgumentException("column " + name + " twice");
            }
            columns.add(new Column<>(name, type, value));
            return this;
        }
    }
}
