package org.emergenceinit.data;

import java.io.IOException;

/**
 * A data file exists but does not hold what its format requires: wrong magic number, wrong dimensions,
 * wrong length, truncated content, out-of-range labels or image and label files that do not match.
 * The message names the file, what was expected and what was found.
 */
public class InvalidDataFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the file
     */
    public InvalidDataFileException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the file
     * @param cause   the underlying I/O error (for example a corrupt gzip stream)
     */
    public InvalidDataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
