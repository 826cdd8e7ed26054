package io.tocsin.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line written while open, with its stack trace: Tocsin's own ({@code io.tocsin}) at every level, the
 * libraries' (Kafka, Micronaut, SDKs) at their configured level. What a test searches for a secret.
 */
public final class CapturedLogs implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger tocsin = (Logger) LoggerFactory.getLogger("io.tocsin");
    private final Level previous = tocsin.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public CapturedLogs() {
        appender.start();
        root.addAppender(appender);
        tocsin.setLevel(Level.ALL);
    }

    /** The formatted lines, each followed by its exception's stack trace when it has one. */
    public List<String> lines() {
        synchronized (appender) {
            return appender.list.stream().map(event -> event.getLoggerName() + " " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy()))).toList();
        }
    }

    /** All lines as one text. */
    public String text() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        tocsin.setLevel(previous);
    }
}
