package io.tocsin.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The body check on hand-written documents: what a described body looks like, and that each opaque form fails. */
class OpenApiBodiesTest {

    static final String GOOD = """
            paths:
              /things:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema:
                          oneOf:
                          - $ref: "#/components/schemas/Thing"
                          - type: array
                            items: {$ref: "#/components/schemas/Thing"}
                  responses:
                    "202": {content: {application/json: {schema: {allOf: [{$ref: "#/components/schemas/Thing"}, {description: kept}]}}}}
                    "204": {description: no body}
                    "302": {description: elsewhere}
                    "400": {$ref: "#/components/responses/Problem"}
                get:
                  responses:
                    "200": {content: {application/json: {schema: {type: object, additionalProperties: {type: integer}}}}}
              /files:
                post:
                  requestBody:
                    content:
                      multipart/form-data:
                        schema: {type: object, properties: {name: {type: string}, file: {type: string, format: binary}}}
                  responses:
                    "200": {content: {application/octet-stream: {schema: {type: string, format: binary}}}}
              /version:
                get:
                  responses:
                    "200": {content: {text/plain: {schema: {type: string}}}}
            components:
              responses:
                Problem: {description: problem, content: {application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}}
              schemas:
                Problem: {type: object, properties: {status: {type: integer}, detail: {type: string}}}
                Thing:
                  type: object
                  properties:
                    name: {type: string}
                    labels: {type: object, additionalProperties: {type: string}}
                    parent: {$ref: "#/components/schemas/Thing"}
                    children: {type: array, items: {$ref: "#/components/schemas/Thing"}}
            """;

    static final String BAD = """
            paths:
              /raw:
                post:
                  requestBody: {content: {application/json: {schema: {type: string, format: byte}}}}
                  responses:
                    "200": {content: {application/json: {schema: {}}}}
                    "201": {content: {application/json: {schema: {type: object}}}}
                    "202": {content: {application/json: {schema: {$ref: "#/components/schemas/Missing"}}}}
                    "203": {content: {application/json: {}}}
                    "204": {description: no body, rightly}
                    "404": {description: not found, but the problem+json body is not documented}
                    "400": {$ref: "#/components/responses/Problem"}
              /count:
                get:
                  responses:
                    "200": {content: {application/json: {schema: {type: integer}}}}
                    "201": {content: {application/json: {schema: {type: array, items: {type: object, additionalProperties: true}}}}}
                    "202": {content: {application/json: {schema: {allOf: [{$ref: "#/components/schemas/Wrapper"}, {description: x}]}}}}
            components:
              responses:
                Problem: {content: {application/problem+json: {schema: {type: object, description: only words}}}}
              schemas:
                Wrapper: {type: object, properties: {payload: {type: string, format: binary}, rest: {description: anything}}}
            """;

    @Test
    void describedBodiesPass() {
        assertThat(OpenApiBodies.problems(yaml(GOOD))).isEmpty();
        OpenApiBodies.assertEveryBodyHasFields(yaml(GOOD));
    }

    @Test
    void everyOpaqueBodyIsNamed() {
        assertThat(OpenApiBodies.problems(yaml(BAD))).containsExactlyInAnyOrder(
                "POST /raw request (application/json): opaque bytes (type string, format byte)",
                "POST /raw 200 (application/json): empty schema (no type, no properties)",
                "POST /raw 201 (application/json): object without properties",
                "POST /raw 202 (application/json): $ref #/components/schemas/Missing is not defined in the document",
                "POST /raw 203 (application/json): no schema",
                "POST /raw 404: no content, but this answer has a body",
                "POST /raw 400 (application/problem+json): object without properties",
                "GET /count 200 (application/json): a bare integer where a body needs fields",
                "GET /count 201 (application/json)[]: object without properties",
                "GET /count 202 (application/json) allOf[0] -> Wrapper.payload: opaque bytes (type string, format binary)",
                "GET /count 202 (application/json) allOf[0] -> Wrapper.rest: empty schema (no type, no properties)");
        assertThatThrownBy(() -> OpenApiBodies.assertEveryBodyHasFields(yaml(BAD)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("OpenAPI bodies without fields (11):")
                .hasMessageContaining("POST /raw request (application/json): opaque bytes");
    }

    @Test
    void aDocumentWithoutOperationsHasNothingToReport() {
        assertThat(OpenApiBodies.problems(yaml("openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n"))).isEmpty();
        assertThat(OpenApiBodies.problems(yaml("openapi: 3.0.1\n"))).isEmpty();
    }

    static Map<String, Object> yaml(String text) {
        return new Yaml().load(text);
    }
}
