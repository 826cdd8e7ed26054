package io.tocsin.cloud.provider.gcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Cloud Storage's read side over the objects {@link ResumableUploads} finished, in WireMock: {@code objects.list}
 * ({@code GET /storage/v1/b/{bucket}/o?prefix=}, one page, https://cloud.google.com/storage/docs/json_api/v1/objects/list),
 * {@code objects.get} ({@code GET /storage/v1/b/{bucket}/o/{name}}, the resource the upload answered) and the media
 * download ({@code GET /download/storage/v1/b/{bucket}/o/{name}?alt=media}, the bytes, with the object's generation
 * in {@code x-goog-generation} as Google sends it). An unknown object is Google's 404; so is the media of an object
 * whose bytes were not kept.
 */
final class StoredObjects implements ResponseDefinitionTransformerV2 {

    static final String NAME = "gcs-objects";

    private final Map<String, GcpFixture.Stored> objects;

    StoredObjects(Map<String, GcpFixture.Stored> objects) {
        this.objects = objects;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        String path = request.getUrl().replaceFirst("\\?.*", "");
        boolean media = path.startsWith("/download/");
        String rest = path.substring(path.indexOf("/b/") + "/b/".length()); // {bucket}/o[/{name}]
        String bucket = rest.substring(0, rest.indexOf('/'));
        String after = rest.substring(bucket.length() + "/o".length());
        if (after.isEmpty()) {
            QueryParameter prefix = request.queryParameter("prefix");
            String wanted = prefix.isPresent() ? prefix.firstValue() : "";
            ObjectNode page = GcpFixture.JSON.createObjectNode().put("kind", "storage#objects");
            ArrayNode items = page.putArray("items");
            objects.values().stream().filter(o -> o.bucket().equals(bucket) && o.name().startsWith(wanted))
                    .forEach(o -> items.add(GcpFixture.readTree(o.resource())));
            return json(page.toString());
        }
        GcpFixture.Stored stored = objects.get(bucket + "/" + URLDecoder.decode(after.substring(1), StandardCharsets.UTF_8));
        if (stored == null || (media && stored.bytes() == null)) {
            return ResumableUploads.error(404, "No such object: " + bucket + "/" + after.substring(1));
        }
        if (!media) {
            return json(stored.resource());
        }
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", stored.contentType())
                .withHeader("x-goog-generation", GcpFixture.readTree(stored.resource()).get("generation").asText())
                .withBody(stored.bytes()).build();
    }

    private static ResponseDefinition json(String body) {
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody(body).build();
    }
}
