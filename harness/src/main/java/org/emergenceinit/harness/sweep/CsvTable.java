package org.emergenceinit.harness.sweep;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.emergenceinit.harness.RunManifest;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A sweep's results file as RFC 4180 CSV, read and written with Jackson's CSV module (cells with commas, quotes or
 * line breaks are quoted): a header, then one line per row. It is rewritten whole through a temporary file moved
 * into place, so a killed sweep leaves either the old or the new table. A line that does not parse (a file damaged
 * some other way) is an error naming the file and the line, never a silent rerun.
 *
 * <p>Columns added to a table after files of it were written ({@code addedColumns}) may be missing from a file: its
 * header is then the table's without them (the others in the same order), and its rows read with those cells empty.
 * The next {@link #write} rewrites the whole file, atomically, with the full header, so an older file that a sweep
 * goes on with keeps every row (their new cells empty).
 *
 * @param <R> a row
 */
public final class CsvTable<R> implements SweepEngine.Table<R> {

    private static final CsvMapper CSV = new CsvMapper();

    /** A row's cells, and a row from its cells (throwing {@link RuntimeException}s for a bad cell). */
    public interface Codec<R> {
        /** The row's cells, in the header's order. */
        String[] cells(R row);

        /**
         * The row of these cells.
         *
         * @throws RuntimeException with a message saying what is wrong, for cells that are not a row
         */
        R row(String[] cells);
    }

    private final Path file;
    private final List<String> header;
    private final Set<String> addedColumns;
    private final Codec<R> codec;
    private final Function<R, String> runOf;

    /**
     * A table whose files all have every column.
     *
     * @param file   the table's file
     * @param header the column names
     * @param codec  rows to cells and back
     * @param runOf  the run a row belongs to
     */
    public CsvTable(Path file, List<String> header, Codec<R> codec, Function<R, String> runOf) {
        this(file, header, Set.of(), codec, runOf);
    }

    /**
     * A table some of whose columns were added after files of it were written (see the class documentation).
     *
     * @param file         the table's file
     * @param header       the column names
     * @param addedColumns columns of {@code header} an older file may lack (their cells are then empty)
     * @param codec        rows to cells (in {@code header}'s order) and back
     * @param runOf        the run a row belongs to
     * @throws IllegalArgumentException if an added column is not in the header
     */
    public CsvTable(Path file, List<String> header, Collection<String> addedColumns, Codec<R> codec,
                    Function<R, String> runOf) {
        this.file = file;
        this.header = List.copyOf(header);
        this.addedColumns = Set.copyOf(addedColumns);
        if (!this.header.containsAll(this.addedColumns)) {
            throw new IllegalArgumentException("added columns " + addedColumns + " not all in the header " + header);
        }
        this.codec = codec;
        this.runOf = runOf;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /**
     * The rows, in file order; none if the file does not exist.
     *
     * @throws IOException naming the file and line when a line does not parse (a damaged file: repair or delete
     *                     that line, whose run is then run again), or when the header is not this table's
     */
    @Override
    public List<R> read() throws IOException {
        List<R> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(file.toFile())) {
            boolean first = true;
            int[] source = null; // per column of the header, its index in the file's header, or -1 (added since)
            while (true) {
                long line = it.getCurrentLocation().getLineNr();
                String[] cells;
                try {
                    if (!it.hasNextValue()) {
                        break;
                    }
                    line = it.getCurrentLocation().getLineNr();
                    cells = it.nextValue();
                } catch (IOException | RuntimeException e) {
                    throw damaged(line, e.getMessage());
                }
                if (first) {
                    first = false;
                    source = columns(List.of(cells));
                    if (source == null) {
                        throw damaged(line, "the header is not " + String.join(",", header) + (addedColumns.isEmpty()
                                ? "" : " (nor that without some of the columns added later, "
                                + String.join(", ", addedColumns.stream().sorted().toList()) + ")"));
                    }
                    continue;
                }
                int width = (int) Arrays.stream(source).filter(i -> i >= 0).count();
                if (cells.length != width) {
                    throw damaged(line, cells.length + " cells where " + width + " were expected");
                }
                String[] full = new String[header.size()];
                for (int c = 0; c < full.length; c++) {
                    full[c] = source[c] < 0 ? "" : cells[source[c]];
                }
                try {
                    rows.add(codec.row(full));
                } catch (RuntimeException e) {
                    throw damaged(line, e.getMessage());
                }
            }
        }
        return rows;
    }

    /**
     * Where each column of the header is in a file with header {@code found}: its index there, or -1 for an added
     * column the file lacks; null when {@code found} is not the header less some added columns.
     */
    private int[] columns(List<String> found) {
        int[] source = new int[header.size()];
        int at = 0;
        for (int c = 0; c < header.size(); c++) {
            if (at < found.size() && found.get(at).equals(header.get(c))) {
                source[c] = at++;
            } else if (addedColumns.contains(header.get(c))) {
                source[c] = -1;
            } else {
                return null;
            }
        }
        return at == found.size() ? source : null;
    }

    private IOException damaged(long line, String why) {
        return new IOException(file + " line " + line + " cannot be read (" + why + "): repair or delete that line"
                + " (its run is then trained again), or move the file away to start the table anew.");
    }

    /** Replaces the file with the header and these rows, atomically. */
    @Override
    public void write(List<R> rows) throws IOException {
        List<String[]> lines = new ArrayList<>();
        lines.add(header.toArray(String[]::new));
        rows.forEach(r -> lines.add(codec.cells(r)));
        StringWriter text = new StringWriter();
        try (SequenceWriter w = CSV.writerFor(String[].class).writeValues(text)) {
            w.writeAll(lines);
        }
        RunManifest.writeAtomically(file, text.toString());
    }

    @Override
    public String runOf(R row) {
        return runOf.apply(row);
    }
}
