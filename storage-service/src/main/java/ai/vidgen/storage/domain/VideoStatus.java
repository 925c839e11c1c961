package ai.vidgen.storage.domain;

/** Where a generation's archive stands. */
public enum VideoStatus {
    /** Claimed by a consumer; a crash leaves it here and the redelivered event resumes it. */
    ARCHIVING,
    ARCHIVED,
    FAILED,
    /** Deleted from the object store by the retention policy; the row stays as the record. */
    DELETED
}
