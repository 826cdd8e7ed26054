package io.tocsin.dispatcher.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line written under {@code io.tocsin} while open, with its stack trace, at every level: what a test
 * searches for a secret.
 */
public final class CapturedLogs implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.tocsin");
    private final Level previous = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public CapturedLogs() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.ALL);
    }

    /** The formatted lines, each followed by its exception's stack trace when it has one. */
    public List<String> lines() {
        return appender.list.stream().map(event -> event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy()))).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
    }
}
