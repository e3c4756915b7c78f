package org.emergenceinit.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers: the shared datasets folder, if this machine has it, and folder snapshots. */
public final class SharedData {

    private SharedData() {
    }

    /**
     * @return {@code EMERGENCE_DATA} if set, else the first {@code shared/datasets} found beside the working
     *         directory or one of its ancestors (the project root's sibling {@code ../shared/datasets})
     */
    public static Optional<Path> dir() {
        String env = System.getenv(Datasets.ENV_VAR);
        if (env != null && !env.isBlank() && Files.isDirectory(Paths.get(env))) {
            return Optional.of(Paths.get(env));
        }
        for (Path p = Paths.get("").toAbsolutePath(); p.getParent() != null; p = p.getParent()) {
            Path candidate = p.getParent().resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** @return every file and folder under {@code root} with its size and modification time */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> listing = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                FileTime mtime = Files.getLastModifiedTime(p);
                listing.put(root.relativize(p).toString(), Files.size(p) + "@" + mtime.toMillis());
            }
        }
        return listing;
    }
}
