package io.opentrackers.evaluation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ParameterException;

/**
 * The jar's offline commands: {@code java -jar opentrackers.jar evaluate|benchmark|calibrate|simulate|combine ...}. They use the
 * matching engine and the model directly, without a database or the web server, so the application's
 * {@code main} hands them over before Spring starts. Unknown options and bad values end with exit code 2 and the
 * command's usage, and so does a data set with a malformed or missing file ({@link InvalidDataSetException});
 * {@code --help} lists every option.
 */
@Command(name = "opentrackers", mixinStandardHelpOptions = true, versionProvider = OfflineCommands.Version.class,
        description = {"Offline commands of OpenTrackers. Without one of them, the jar starts the service:",
                "  java -jar opentrackers.jar [--property=value ...]",
                "with settings as --property=value or environment variables (PORT, SPRING_DATASOURCE_URL, "
                        + "TRACKERS_APP_ID, ...; README, \"Configuration\"; docs/operations.md)."},
        subcommands = {EvaluateCommand.class, BenchmarkCommand.class, ValidationSplitCommand.class, SimulateCommand.class,
                CombineCommand.class, HelpCommand.class})
public final class OfflineCommands {

    private static final Set<String> NAMES = Set.of("evaluate", "benchmark", "calibrate", "simulate", "combine", "help");
    private static final Set<String> HELP_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    OfflineCommands() {
    }

    /**
     * Whether the command line is for the offline commands (and the service must not start): a command's name, the
     * help and version options, or any first word that is not an option. The service takes only
     * {@code --property=value} arguments, so {@code --help} or a mistyped command ({@code evalute}) used to start it
     * (with an embedded PostgreSQL in {@code ./data/postgres} and the port taken) instead of saying how to use the jar.
     */
    public static boolean handles(String[] args) {
        if (args.length == 0) {
            return false;
        }
        String first = args[0];
        return NAMES.contains(first) || HELP_OPTIONS.contains(first) || !first.startsWith("-");
    }

    /** Runs the offline command the arguments name; returns the process exit code. */
    public static int run(String... args) {
        quietLibraryLogs();
        return commandLine(new OfflineCommands()).execute(args);
    }

    /**
     * Runs one command on its own, for the {@code exec:java -Dexec.mainClass=...} way of the source tree; exits
     * the JVM only on failure, so that Maven reports its own result after a success.
     */
    static void runAlone(Object command, String[] args) {
        quietLibraryLogs();
        int exitCode = commandLine(command).execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /**
     * Without Spring Boot's logging set-up, Logback prints every library's INFO lines (and DJL's CUDA probe warns on
     * machines without a GPU) on stdout, between the results; only warnings of real trouble are kept.
     */
    private static void quietLibraryLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            logging.getLogger("ai.djl.util.cuda.CudaUtils").setLevel(Level.ERROR);
        }
    }

    static CommandLine commandLine(Object command) {
        CommandLine commandLine = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        // a data set is what the user gave, as an option is: its problems are reported as a bad option's are
        // (exit code 2, the reasons on stderr), not as the stack trace of a parser deep inside the command
        commandLine.setExecutionExceptionHandler((error, failed, parsed) -> {
            if (error instanceof InvalidDataSetException invalid) {
                return failed.getParameterExceptionHandler().handleParseException(
                        new ParameterException(failed, invalid.getMessage(), invalid),
                        parsed.originalArgs().toArray(String[]::new));
            }
            throw error;
        });
        return commandLine;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = OfflineCommands.class.getPackage().getImplementationVersion();
            return new String[] {"OpenTrackers " + (version != null ? version : "(not packaged)")};
        }
    }
}
