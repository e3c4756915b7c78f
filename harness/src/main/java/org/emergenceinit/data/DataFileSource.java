package org.emergenceinit.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A readable file, on disk or on the classpath, with the name used in messages and manifests. */
interface DataFileSource {

    /** @return the file's path, or {@code classpath:/...} for a resource */
    String name();

    /** @return a new stream over the file's raw (possibly gzipped) bytes */
    InputStream open() throws IOException;

    /** @return a source reading {@code file} */
    static DataFileSource of(Path file) {
        return new DataFileSource() {
            @Override
            public String name() {
                return file.toString();
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }

    /** @return a source reading the classpath resource {@code resource} (absolute, starting with '/') */
    static DataFileSource ofResource(String resource) {
        return new DataFileSource() {
            @Override
            public String name() {
                return "classpath:" + resource;
            }

            @Override
            public InputStream open() throws IOException {
                InputStream in = DataFileSource.class.getResourceAsStream(resource);
                if (in == null) {
                    throw new IOException("Resource " + resource + " is not on the classpath");
                }
                return in;
            }
        };
    }
}
