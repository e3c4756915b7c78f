package org.emergenceinit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A seeded train/test split, stratified per class: each class's examples (in their reading order) are shuffled
 * with {@link OwnDataSpec#SPLIT_SEED} and the first {@code round(n * fraction)} go to the test set. The same
 * data always gives the same split.
 */
final class StratifiedSplit {

    /** Example indices of the training set, by class then shuffled order. */
    final int[] train;
    /** Example indices of the test set, by class then shuffled order. */
    final int[] test;

    private StratifiedSplit(int[] train, int[] test) {
        this.train = train;
        this.test = test;
    }

    /**
     * @param labels     class of each example
     * @param classNames names of the classes, indexed by label
     * @param fraction   share of each class held out, in (0, 1)
     * @param source     the file or folder, for messages
     * @param unit       what an example is, for messages ("images", "rows")
     * @throws InvalidDataFileException if a class that has examples would get none in one of the two sets
     */
    static StratifiedSplit of(int[] labels, List<String> classNames, double fraction, String source, String unit)
            throws InvalidDataFileException {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> members = byClass.get(c);
            if (members.isEmpty()) {
                continue;
            }
            Collections.shuffle(members, new Random(OwnDataSpec.SPLIT_SEED + c));
            int numTest = (int) Math.round(members.size() * fraction);
            if (numTest == 0 || numTest == members.size()) {
                throw new InvalidDataFileException(String.format(Locale.ROOT, "%s: class '%s' has %d %s, so a"
                        + " test fraction of %s leaves its %s set empty; add %s to that class or change"
                        + " --test-fraction.", source, classNames.get(c), members.size(), unit, fraction,
                        numTest == 0 ? "test" : "training", unit));
            }
            test.addAll(members.subList(0, numTest));
            train.addAll(members.subList(numTest, members.size()));
        }
        return new StratifiedSplit(train.stream().mapToInt(Integer::intValue).toArray(),
                test.stream().mapToInt(Integer::intValue).toArray());
    }
}
