package dev.plinth.accesslog;

/**
 * The access log's figures, as a standard MBean named {@value AccessLogComponent#OBJECT_NAME} on the platform MBean
 * server (JConsole, VisualVM, any JMX client). Counts run from the component's activation, across configuration
 * changes.
 */
public interface AccessLogStatsMBean {

    /** @return lines that reached the file */
    long getLinesWritten();

    /** @return lines dropped because the queue was full (or the log was stopping) */
    long getLinesDropped();

    /** @return lines lost because the file could not be written */
    long getLinesFailed();

    /** @return lines waiting for the writer now */
    int getQueueDepth();

    /** @return the most lines that may wait */
    int getQueueCapacity();

    /** @return the file written to */
    String getCurrentFile();

    /** @return {@code combined}, {@code common} or {@code json} */
    String getFormat();
}
