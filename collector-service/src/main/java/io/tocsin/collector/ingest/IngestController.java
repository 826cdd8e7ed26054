package io.tocsin.collector.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.validation.RawAlarmValidator;
import io.tocsin.schema.wire.InvalidRecordException;
import io.tocsin.schema.wire.JsonRecordReader;
import java.io.IOException;
import java.util.List;

/**
 * {@code POST /api/v1/ingest/alarms}: Tocsin's native alarm JSON, one object or an array. The whole request is
 * validated first and either every alarm is written to Kafka or none is reported accepted: 202 only after Kafka
 * acknowledged all of them; 400 problem+json naming each bad field (nothing written); 503 if Kafka does not
 * answer.
 */
@Controller("/api/v1/ingest")
public class IngestController {

    /** Alarms one request may carry. */
    public static final int MAX_ALARMS_PER_REQUEST = 1000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonRecordReader<RawAlarm> READER = new JsonRecordReader<>(RawAlarm.class);
    private static final RawAlarmValidator VALIDATOR = new RawAlarmValidator();

    private final RawAlarmPublisher publisher;

    public IngestController(RawAlarmPublisher publisher) {
        this.publisher = publisher;
    }

    /** What was accepted: the alarm keys, in request order. */
    @Serdeable
    public record Accepted(int accepted, List<String> alarmKeys) {
    }

    @Operation(summary = "Raise or clear alarms", description = "Body: one RawAlarm JSON object or an array of up to 1000.")
    @ApiResponse(responseCode = "202", description = "Kafka has every alarm")
    @ApiResponse(responseCode = "400", description = "Malformed JSON or invalid fields; nothing was written")
    @ApiResponse(responseCode = "401", description = "Missing or wrong ingest token")
    @ApiResponse(responseCode = "503", description = "Kafka unavailable; nothing was accepted")
    @Post(value = "/alarms", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Accepted> alarms(@Body byte[] body) {
        List<RawAlarm> alarms = readAlarms(body);
        List<String> keys = publisher.publish(alarms);
        return HttpResponse.accepted().body(new Accepted(keys.size(), keys));
    }

    static List<RawAlarm> readAlarms(byte[] body) {
        JsonNode root = parse(body);
        if (root.isArray() && root.size() > MAX_ALARMS_PER_REQUEST) {
            throw new InvalidRecordException("", "must hold at most " + MAX_ALARMS_PER_REQUEST + " alarms, has " + root.size());
        }
        return READER.readAll(root, VALIDATOR, true);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRecordException("", "is empty; expected a JSON object or array");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonParseException e) {
            var location = e.getLocation();
            throw new InvalidRecordException("", "is not valid JSON at line " + location.getLineNr() + ", column "
                    + location.getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("", "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("", "could not be read: " + e.getMessage());
        }
    }
}
