package org.emergenceinit.data;

import java.io.IOException;
import java.util.List;

/**
 * A dataset was found in none of the places searched and could not be downloaded. The message lists every
 * path tried (with why it did not serve) and how to provide the data; {@link #pathsTried()} gives the list.
 */
public class DatasetNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final List<String> pathsTried;

    /**
     * @param message    the full message, listing the paths tried and what to do
     * @param pathsTried each place searched, with the reason it did not serve
     * @param cause      the download failure, if a download was tried
     */
    public DatasetNotFoundException(String message, List<String> pathsTried, Throwable cause) {
        super(message, cause);
        this.pathsTried = List.copyOf(pathsTried);
    }

    /** @return each place searched, in order, with the reason it did not serve */
    public List<String> pathsTried() {
        return pathsTried;
    }
}
