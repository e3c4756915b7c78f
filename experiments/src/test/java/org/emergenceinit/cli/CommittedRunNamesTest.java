package org.emergenceinit.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed sweeps are found, and resumed, by run name: the grid saved beside each one must still name its runs
 * byte for byte as they were named when they ran.
 */
class CommittedRunNamesTest {

    private static Set<String> committed(Path folder) throws Exception {
        return ResultsTable.read(folder.resolve(ResultsTable.FILE)).stream().map(ResultsTable.Row::run)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> named(Path folder) throws Exception {
        SweepGrid grid = SweepGrid.read(folder.resolve("grid.json"));
        return grid.runs(0, null, folder).stream().map(r -> r.spec().runName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyCommittedRunKeepsItsName() throws Exception {
        for (String name : List.of("mlp-deep", "paper2-pruning", "cnn-vgg-cifar10-subset")) {
            Path folder = Path.of("results", name);
            Set<String> committed = committed(folder);
            Set<String> named = named(folder);
            assertTrue(committed.size() > 10, name + ": " + committed.size() + " runs");
            Set<String> missing = new TreeSet<>(committed);
            missing.removeAll(named);
            assertTrue(missing.isEmpty(), name + ": committed runs the grid no longer names: " + missing);
        }
    }
}
