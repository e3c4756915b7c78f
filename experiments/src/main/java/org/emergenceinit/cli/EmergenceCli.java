package org.emergenceinit.cli;

import org.emergenceinit.harness.MemoryCheck;
import org.emergenceinit.onednn.OneDnn;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * {@code bin/emergence}: the project's command line. Bad arguments and bad input print one line that says what was
 * wrong and what to do, and exit with status 2.
 */
@Command(name = "emergence", mixinStandardHelpOptions = true, version = "dl4j-emergence-init 0.1.0",
        description = "Emergence-promoting initialization for DL4J: plans, measurements and experiments.",
        subcommands = {CompareCommand.class, TrainCommand.class, AdviseCommand.class, InspectCommand.class, InitReportCommand.class,
                PlanCommand.class, SweepCommand.class, ReportCommand.class, TranslateCommand.class, BleuCommand.class,
                SpeedCommand.class, CommandLine.HelpCommand.class})
public final class EmergenceCli {

    /** Exit status for bad arguments or bad input. */
    public static final int USAGE = 2;

    public static void main(String[] args) {
        try {
            OneDnn.enable(); // before anything touches ND4J: the natives for this CPU, DL4J's layers through oneDNN
        } catch (IllegalArgumentException e) {
            System.err.println("emergence: " + e.getMessage());
            System.exit(USAGE);
        }
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command with the given streams; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new EmergenceCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("emergence: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (MemoryCheck.isAllocationFailure(ex) && !(ex instanceof IllegalStateException
                    && ex.getMessage() != null && ex.getMessage().contains("memory could not be allocated"))) {
                commandLine.getErr().println("emergence: " + oneLine(MemoryCheck.outOfMemory(
                        commandLine.getCommandSpec().qualifiedName(), ex)));
                return USAGE;
            }
            if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof IOException || ex instanceof UncheckedIOException) {
                commandLine.getErr().println("emergence: " + oneLine(ex));
                return USAGE;
            }
            throw ex;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("emergence: " + oneLine(MemoryCheck.outOfMemory("emergence", e)));
            err.flush();
            return USAGE;
        }
    }

    /**
     * An error's message on one line. A file-system error (whose own message is often a bare path) says which file
     * and what went wrong; an {@link UncheckedIOException} gives its cause's message.
     */
    static String oneLine(Throwable ex) {
        Throwable e = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        String m;
        if (e instanceof FileSystemException) {
            m = fileSystem((FileSystemException) e);
        } else if (e.getMessage() == null || e.getMessage().isBlank()) {
            m = e.getClass().getSimpleName() + (e.getCause() != null ? ": " + oneLine(e.getCause()) : "");
        } else {
            m = e.getMessage();
        }
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    private static String fileSystem(FileSystemException e) {
        String file = e.getFile();
        String other = e.getOtherFile() == null ? "" : " (and " + e.getOtherFile() + ")";
        if (e instanceof FileAlreadyExistsException) {
            return file + other + " already exists and is in the way (a file where a folder is needed, or the"
                    + " reverse): move it away or give another path.";
        }
        if (e instanceof AccessDeniedException) {
            return file + other + " cannot be written or read: permission denied; give a path this user may"
                    + " write, or change the permissions.";
        }
        if (e instanceof NoSuchFileException) {
            return file + other + " does not exist: check the path.";
        }
        if (e instanceof NotDirectoryException) {
            return file + other + " is not a folder: give the path of a folder.";
        }
        return file + other + ": " + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason())
                + "; check the path and that the disk is writable.";
    }
}
