package dev.retention.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Api holds each answer to the service's description: a stand-in service describes one operation and breaks it. */
class ApiContractTest {

    private static final String DESCRIPTION = """
            {"openapi": "3.1.0", "paths": {"/things/{id}": {"get": {"responses": {
              "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
              "404": {"content": {"application/problem+json": {"schema": {"type": "object", "required": ["code"]}}}}
            }}}},
             "components": {"schemas": {"Thing": {"type": "object", "required": ["amount"],
               "properties": {"amount": {"type": "string", "pattern": "^[0-9]+\\\\.[0-9]{2}$"},
                              "note": {"type": ["string", "null"]}}}}}}
            """;

    private static HttpServer server;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/openapi", exchange -> answer(exchange, 200, "application/json", DESCRIPTION));
        server.createContext("/things/", exchange -> {
            switch (exchange.getRequestURI().getPath()) {
                case "/things/good" ->
                        answer(exchange, 200, "application/json", "{\"amount\": \"4.50\", \"note\": null}");
                case "/things/number" -> answer(exchange, 200, "application/json", "{\"amount\": 4.5}");
                case "/things/gone" -> answer(exchange, 404, "application/problem+json", "{\"code\": \"GONE\"}");
                default -> answer(exchange, 409, "application/problem+json", "{\"code\": \"CONFLICT\"}");
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void answersAsDescribedPass() {
        assertThat(get("/things/good").statusCode()).isEqualTo(200);
        assertThat(get("/things/gone").statusCode()).isEqualTo(404);
    }

    @Test
    void aBodyAgainstItsSchemaOrAnUndescribedStatusFailsTheCall() {
        assertThatThrownBy(() -> get("/things/number")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /things/number -> 200").hasMessageContaining("/amount");
        assertThatThrownBy(() -> get("/things/other")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("status 409 not described");
    }

    private static io.restassured.response.Response get(String path) {
        return Api.anonymous().baseUri("http://127.0.0.1").port(server.getAddress().getPort()).get(path);
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
