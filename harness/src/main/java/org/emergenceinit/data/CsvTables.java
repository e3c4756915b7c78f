package org.emergenceinit.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;

/**
 * Reads {@code csv:FILE}: a numeric CSV table, one example a line, with DataVec's {@link CSVRecordReader}.
 *
 * <p>The label column ({@code --label-column N}, 0-based, default the last) holds class indices
 * {@code 0..K-1} (as DL4J's {@code RecordReaderDataSetIterator} expects), or class names on every line
 * ({@code setosa}, {@code versicolor}, ...: classes numbered in sorted name order, the names recorded as the class
 * names); every other column is a feature. A first line whose feature cells are not all numbers is taken for a
 * header and skipped, unless {@code --skip-lines N} says how many lines to skip. With indices {@code K} is
 * {@code --classes} or the largest label plus one. The split is {@link StratifiedSplit}; features are standardised
 * per column with a {@code NormalizerStandardize} fitted on the training rows only.
 */
final class CsvTables {

    private CsvTables() {
    }

    /**
     * @param name    the dataset name as given, {@code csv:FILE}
     * @param file    the CSV file
     * @param options label column, lines to skip, classes, test fraction
     * @throws InvalidDataFileException if the file is not a usable table; the message names the line and column
     */
    static DatasetSource load(String name, Path file, OwnDataSpec options) throws IOException {

        if (!Files.isRegularFile(file)) {
            throw new DatasetNotFoundException(name + ": no such file: " + file.toAbsolutePath().normalize()
                    + "; give a numeric CSV file, one example a line.", List.of(file.toString()), null);
        }
        String where = file.toAbsolutePath().normalize().toString();
        int skip = options.skipLines() != null ? options.skipLines()
                : (firstLineIsHeader(file, options.labelColumn()) ? 1 : 0);

        List<float[]> rows = new ArrayList<>();
        List<String> labelCells = new ArrayList<>();
        List<Integer> labelLines = new ArrayList<>();
        int columns = -1;
        int labelColumn = -1;
        try (CSVRecordReader reader = new CSVRecordReader(skip, ',')) {
            initialize(reader, file);
            int line = skip;
            while (reader.hasNext()) {
                List<Writable> record = reader.next();
                line++;
                if (columns < 0) {
                    columns = record.size();
                    labelColumn = options.labelColumn() != null ? options.labelColumn() : columns - 1;
                    if (labelColumn >= columns) {
                        throw new InvalidDataFileException(String.format(Locale.ROOT, "--label-column %d is out of"
                                + " range: %s has %d columns (0..%d).", labelColumn, where, columns, columns - 1));
                    }
                    if (columns < 2) {
                        throw new InvalidDataFileException(where + ": line " + line + " has one column; a table"
                                + " needs feature columns and a label column.");
                    }
                } else if (record.size() != columns) {
                    throw new InvalidDataFileException(String.format(Locale.ROOT, "%s: line %d has %d columns, the"
                            + " first line read has %d; every line needs the same columns.", where, line,
                            record.size(), columns));
                }
                float[] features = new float[columns - 1];
                for (int c = 0, f = 0; c < columns; c++) {
                    String cell = record.get(c).toString().trim();
                    if (c == labelColumn) {
                        labelCells.add(cell);
                        labelLines.add(line);
                    } else {
                        features[f++] = number(cell, where, line, c);
                    }
                }
                rows.add(features);
            }
        }
        if (rows.isEmpty()) {
            throw new InvalidDataFileException(where + ": no data lines" + (skip > 0 ? " after skipping " + skip
                    + " line(s)" : "") + "; give a numeric CSV file, one example a line.");
        }
        List<String> classNames = new ArrayList<>();
        int[] labels = labels(labelCells, labelLines, labelColumn, options.classes(), where, classNames);
        int numClasses = classNames.size();
        StratifiedSplit split = StratifiedSplit.of(labels, classNames, options.testFraction(), where, "rows");
        ImageData train = table(rows, labels, split.train, columns - 1, numClasses);
        ImageData test = table(rows, labels, split.test, columns - 1, numClasses);
        String label = String.format(Locale.US, "%s (%,d train / %,d test, %d features, %d classes)", name,
                train.size(), test.size(), columns - 1, numClasses);
        return DatasetSource.table(name, label, List.of(where), Datasets.sha256(List.of(DataFileSource.of(file))),
                train, test, classNames);
    }

    private static void initialize(CSVRecordReader reader, Path file) throws IOException {
        try {
            reader.initialize(new FileSplit(file.toFile()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while opening " + file, e);
        }
    }

    /** Whether the first line's feature cells (all but the label column) are not all numbers. */
    private static boolean firstLineIsHeader(Path file, Integer labelColumn) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null) {
                return false;
            }
            String[] cells = first.split(",", -1);
            int label = labelColumn != null ? labelColumn : cells.length - 1;
            for (int c = 0; c < cells.length; c++) {
                if (c != label && !isNumber(cells[c].trim())) {
                    return true;
                }
            }
            return false;
        }
    }

    private static float number(String cell, String where, int line, int column) throws InvalidDataFileException {
        try {
            float value = Float.parseFloat(cell);
            if (Float.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidDataFileException(String.format(Locale.ROOT, "%s: line %d, column %d (0-based): '%s' is"
                + " not a finite number; fix the cell (or skip a header with --skip-lines N).", where, line, column,
                cell));
    }

    /**
     * The class of each line from its label cell, filling {@code classNames}: indices {@code 0..K-1} when every cell
     * is one, else names when no cell is a number.
     */
    private static int[] labels(List<String> cells, List<Integer> lines, int column, Integer classes, String where,
            List<String> classNames) throws InvalidDataFileException {
        int[] labels = new int[cells.size()];
        int firstName = -1;
        boolean anyNumber = false;
        for (int i = 0; i < cells.size(); i++) {
            labels[i] = index(cells.get(i));
            if (labels[i] < 0 && firstName < 0) {
                firstName = i;
            }
            anyNumber |= isNumber(cells.get(i));
        }
        if (firstName >= 0 && anyNumber) {
            throw new InvalidDataFileException(String.format(Locale.ROOT, "%s: line %d, column %d (0-based): label"
                    + " '%s' is not a class index 0, 1, 2, ... while other lines have numbers there; give every line a"
                    + " class index or every line a class name, or choose the label column with --label-column N.",
                    where, lines.get(firstName), column, cells.get(firstName)));
        }
        int numClasses;
        if (firstName >= 0) { // class names
            classNames.addAll(new TreeSet<>(cells));
            if (classes != null && classes != classNames.size()) {
                throw new InvalidDataFileException(String.format(Locale.ROOT, "%s: the labels in column %d name %d"
                        + " classes %s, but --classes is %d; drop --classes or fix the labels.", where, column,
                        classNames.size(), classNames, classes));
            }
            for (int i = 0; i < labels.length; i++) {
                labels[i] = Collections.binarySearch(classNames, cells.get(i));
            }
            numClasses = classNames.size();
        } else {
            int maxLabel = Arrays.stream(labels).max().orElse(0);
            numClasses = classes != null ? classes : maxLabel + 1;
            if (maxLabel >= numClasses) {
                throw new InvalidDataFileException(String.format(Locale.ROOT, "%s: label %d in column %d is outside"
                        + " 0..%d (--classes %d); raise --classes or fix the labels.", where, maxLabel, column,
                        numClasses - 1, numClasses));
            }
            for (int c = 0; c < numClasses; c++) {
                classNames.add(Integer.toString(c));
            }
        }
        if (Arrays.stream(labels).distinct().count() < 2) {
            throw new InvalidDataFileException(where + ": every line has label " + cells.get(0) + " in column "
                    + column + "; at least two classes are needed (is --label-column right?).");
        }
        if (numClasses > 256) {
            throw new InvalidDataFileException(where + ": the labels in column " + column + " mean " + numClasses
                    + " classes; at most 256 are supported.");
        }
        return labels;
    }

    /** The class index a cell holds ({@code 3}, {@code 3.0}), or -1. */
    private static int index(String cell) {
        try {
            double value = Double.parseDouble(cell);
            if (value >= 0 && value == Math.rint(value) && value < 65_536) {
                return (int) value;
            }
        } catch (NumberFormatException e) {
            // not an index
        }
        return -1;
    }

    private static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ImageData table(List<float[]> rows, int[] labels, int[] indices, int numFeatures,
            int numClasses) {
        float[] values = new float[indices.length * numFeatures];
        byte[] picked = new byte[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(rows.get(indices[j]), 0, values, j * numFeatures, numFeatures);
            picked[j] = (byte) labels[indices[j]];
        }
        return new ImageData(values, picked, numFeatures, numClasses);
    }
}
