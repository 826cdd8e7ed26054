package io.tocsin.cloud.provider.gcp;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * The JDK HTTP transport of the Google client libraries with an upper bound on every request's connect and read
 * timeouts. The OAuth token exchange is made by the auth library with google-http-client's defaults (20 s each,
 * not configurable through the library's API); this transport caps them at Tocsin's settings, so a token endpoint
 * that does not answer fails within {@code tocsin.cloud.gcp.connect-timeout}/{@code read-timeout}. A request that
 * asks for shorter timeouts (a Compute Engine call near its deadline) keeps them.
 *
 * <p>{@link NetHttpTransport} is final and its {@code buildRequest} protected, so it is called reflectively (the
 * method is google-http-client's documented extension point, stable since 1.0); a change would fail at the first
 * construction, i.e. at start.
 *
 * <p>Shared by every client for the life of the application: {@link #shutdown()} does nothing, so a client library
 * closing its channel does not stop the others' transport.
 */
final class BoundedHttpTransport extends HttpTransport {

    private static final Method BUILD_REQUEST = buildRequestMethod();

    private final HttpTransport delegate = new NetHttpTransport();
    private final int connectMillis;
    private final int readMillis;

    BoundedHttpTransport(Duration connectTimeout, Duration readTimeout) {
        this.connectMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.readMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
    }

    @Override
    public boolean supportsMethod(String method) throws IOException {
        return delegate.supportsMethod(method);
    }

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) throws IOException {
        LowLevelHttpRequest request;
        try {
            request = (LowLevelHttpRequest) BUILD_REQUEST.invoke(delegate, method, url);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        Bounded bounded = new Bounded(request);
        bounded.setTimeout(connectMillis, readMillis);
        return bounded;
    }

    @Override
    public void shutdown() {
        // Shared: see the class comment.
    }

    private static Method buildRequestMethod() {
        try {
            Method method = HttpTransport.class.getDeclaredMethod("buildRequest", String.class, String.class);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("google-http-client's HttpTransport.buildRequest(String, String) is not accessible", e);
        }
    }

    /** The delegate's request; content and timeouts pass through, timeouts capped. */
    private final class Bounded extends LowLevelHttpRequest {

        private final LowLevelHttpRequest request;

        Bounded(LowLevelHttpRequest request) {
            this.request = request;
        }

        @Override
        public void addHeader(String name, String value) throws IOException {
            request.addHeader(name, value);
        }

        @Override
        public void setTimeout(int connectTimeout, int readTimeout) throws IOException {
            // 0 means "no timeout" to HttpURLConnection: never let it through.
            request.setTimeout(capped(connectTimeout, connectMillis), capped(readTimeout, readMillis));
        }

        @Override
        public void setWriteTimeout(int writeTimeout) throws IOException {
            request.setWriteTimeout(capped(writeTimeout, readMillis));
        }

        @Override
        public LowLevelHttpResponse execute() throws IOException {
            request.setContentLength(getContentLength());
            request.setContentEncoding(getContentEncoding());
            request.setContentType(getContentType());
            request.setStreamingContent(getStreamingContent());
            return request.execute();
        }

        private static int capped(int asked, int bound) {
            return asked <= 0 ? bound : Math.min(asked, bound);
        }
    }
}
