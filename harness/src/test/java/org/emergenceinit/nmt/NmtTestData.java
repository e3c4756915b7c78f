package org.emergenceinit.nmt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/** Test helper: the data folder holding {@code multi30k/}, if this machine has it. */
final class NmtTestData {

    private NmtTestData() {
    }

    /**
     * @return {@code EMERGENCE_DATA} if it holds {@code multi30k/}, else the first {@code shared/datasets} beside
     *         the working directory or one of its ancestors that does
     */
    static Optional<Path> dataDir() {
        String env = System.getenv(Multi30k.ENV_VAR);
        if (env != null && !env.isBlank() && Files.isDirectory(Paths.get(env, Multi30k.FOLDER))) {
            return Optional.of(Paths.get(env));
        }
        for (Path p = Paths.get("").toAbsolutePath(); p.getParent() != null; p = p.getParent()) {
            Path candidate = p.getParent().resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate.resolve(Multi30k.FOLDER))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
