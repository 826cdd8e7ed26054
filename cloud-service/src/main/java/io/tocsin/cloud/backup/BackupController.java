package io.tocsin.cloud.backup;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.StreamingFileUpload;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.cloud.api.NoAdapterError;
import io.tocsin.cloud.api.ProviderErrors;
import io.tocsin.cloud.backup.BackupService.Backup;
import io.tocsin.common.http.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/cloud/backups} (admin token): upload a file to S3, Google Cloud Storage or Azure Blob with a stored
 * credential, list and download what is there. The upload is {@code multipart/form-data} with the fields
 * {@code credential}, {@code bucket}, optional {@code key} before the {@code file} part; the file's bytes are passed
 * to the provider as they arrive (Micronaut's {@link StreamingFileUpload}, read as a blocking stream with
 * back-pressure through {@link PartStream}), never held whole in memory or on disk. Errors are problem+json: see {@link BackupService}.
 */
@Controller(BackupController.PATH)
@ExecuteOn(TaskExecutors.BLOCKING)
public class BackupController {

    static final String PATH = "/api/v1/cloud/backups";
    private static final Logger LOG = LoggerFactory.getLogger(BackupController.class);

    private final BackupService backups;

    public BackupController(BackupService backups) {
        this.backups = backups;
    }

    @Operation(summary = "Upload a backup", description = "multipart/form-data: credential (id), bucket (bucket or container), "
            + "key (optional; the file's name when left out), then the file part. Streamed to the provider; the answer comes "
            + "once the provider confirmed the object. Publishes a BackupCompleted event on tocsin.backups either way.")
    @ApiResponse(responseCode = "201", description = "Stored", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Backup.class)))
    @ApiResponse(responseCode = "400", description = "Invalid fields, each named (credential, bucket, key, file)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "No credential with that id, or no such bucket",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "Larger than tocsin.cloud.backups.max-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ProviderErrors
    @NoAdapterError
    @Post(consumes = MediaType.MULTIPART_FORM_DATA, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Backup> upload(@Nullable @Part("credential") String credential, @Nullable @Part("bucket") String bucket,
                                       @Nullable @Part("key") String key, @Nullable StreamingFileUpload file,
                                       HttpRequest<?> request) throws IOException {
        String effectiveKey = BackupService.checkUpload(credential, bucket, key, file == null ? null : file.getFilename(), file != null);
        String contentType = file.getContentType().map(MediaType::toString).orElse(MediaType.APPLICATION_OCTET_STREAM);
        try (InputStream data = PartStream.of(file, eventLoopOf(request))) {
            Backup stored = backups.upload(credential, bucket, effectiveKey, data, contentType, "api");
            return HttpResponse.created(stored, URI.create(PATH + "/" + enc(credential) + "/" + enc(bucket) + "/content?key="
                    + enc(effectiveKey)));
        }
    }

    @Operation(summary = "List backups", description = "The objects in the bucket or container whose key starts with prefix")
    @ApiResponse(responseCode = "400", description = "credential or bucket missing or invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "No credential with that id, or no such bucket",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ProviderErrors
    @NoAdapterError
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<Backup> list(@Nullable @QueryValue String credential, @Nullable @QueryValue String bucket,
                             @Nullable @QueryValue String prefix) {
        return backups.list(credential, bucket, prefix);
    }

    @Operation(summary = "Download a backup", description = "Streamed as application/octet-stream with its length")
    @ApiResponse(responseCode = "404", description = "No credential with that id, or no such bucket or object",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ProviderErrors
    @NoAdapterError
    @Get(value = "/{credential}/{bucket}/content", produces = MediaType.APPLICATION_OCTET_STREAM)
    public HttpResponse<StreamedFile> download(String credential, String bucket, @Nullable @QueryValue String key) {
        Backup backup = backups.describe(credential, bucket, key);
        BoundedPipe pipe = new BoundedPipe();
        Thread.ofVirtual().name("backup-download").start(() -> {
            try {
                backups.download(credential, bucket, key, pipe.out);
                pipe.out.close();
            } catch (Exception e) {
                LOG.warn("Download of {}/{} with credential {} broke off: {}", bucket, key, credential, e.getMessage());
                pipe.fail(e);
            }
        });
        String name = key.substring(key.lastIndexOf('/') + 1);
        return HttpResponse.ok(new StreamedFile(pipe.in, MediaType.APPLICATION_OCTET_STREAM_TYPE, backup.lastModified().toEpochMilli(),
                        backup.size()))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_")
                        + "\"; filename*=UTF-8''" + enc(name));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The event loop of the request's channel, which delivers its parts ({@link PartStream} subscribes from it). */
    private static Executor eventLoopOf(HttpRequest<?> request) {
        if (request instanceof NettyHttpRequest<?> netty) {
            return netty.getChannelHandlerContext().executor();
        }
        throw new IllegalStateException("a multipart upload outside Netty's HTTP server: " + request.getClass().getName());
    }
}
