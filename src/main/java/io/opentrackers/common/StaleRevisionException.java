package io.opentrackers.common;

/**
 * A conditional change found the resource at another revision than the client expected (it changed since the client
 * read it); nothing was changed. Maps to 412 Precondition Failed.
 */
public class StaleRevisionException extends RuntimeException {

    private final long currentVersion;
    private final String currentTag;

    public StaleRevisionException(String message, long currentVersion, String currentTag) {
        super(message);
        this.currentVersion = currentVersion;
        this.currentTag = currentTag;
    }

    public long currentVersion() {
        return currentVersion;
    }

    /** The entity tag of the current revision, quoted as an ETag header carries it. */
    public String currentTag() {
        return currentTag;
    }
}
