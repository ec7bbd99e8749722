package dev.retention.testsupport;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDatabaseTest {

    @Test
    void createsAFreshDatabaseAndDropsItOnClose() throws Exception {
        TestDatabase database = TestDatabase.create("support_test");
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE probe (id INT)");
            statement.execute("INSERT INTO probe VALUES (1)");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM probe")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
        assertThat(database.name()).startsWith("support_test_");
        assertThat(database.reactiveUrl()).startsWith("postgresql://").endsWith("/" + database.name());

        database.close();

        assertThatThrownBy(database::connect).isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
    }

    @Test
    void twoDatabasesDoNotShareTables() throws Exception {
        try (TestDatabase first = TestDatabase.create("support_test");
             TestDatabase second = TestDatabase.create("support_test")) {
            try (Connection connection = first.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE only_here (id INT)");
            }
            try (Connection connection = second.connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(
                         "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_here'")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }

    @Test
    void serverUrlsParseUserPasswordHostAndPort() {
        TestDatabase.Server server = TestDatabase.Server.parse("postgresql://app:s3cret@db.internal:6543");

        assertThat(server).isEqualTo(new TestDatabase.Server("db.internal", 6543, "app", "s3cret"));
        assertThat(TestDatabase.Server.parse("jdbc:postgresql://127.0.0.1/x").port()).isEqualTo(5432);
    }
}
