package io.opentrackers.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The labelled data set a measurement reads, shared by {@code evaluate} and {@code simulate}. */
final class DataSetOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "FOLDER",
            description = "data set: trackers.json plus messages.jsonl or conversations.jsonl (../shared/data's format)")
    Path folder;

    @Option(names = "--trackers", defaultValue = "trackers.json", paramLabel = "FILE",
            description = "trackers file inside FOLDER (default: ${DEFAULT-VALUE})")
    String trackersFile;

    @Option(names = "--speaker", paramLabel = "NAME",
            description = "conversations only: keep the messages of this speaker (e.g. customer)")
    String speaker;

    /**
     * The data set, or the command's usage error when FOLDER is not a directory; a data set with problems is an
     * {@link InvalidDataSetException}, reported as a usage error too.
     */
    DataSet load() {
        if (!Files.isDirectory(folder)) {
            throw new ParameterException(command.commandLine(), "FOLDER " + folder + " is not a directory");
        }
        return DataSet.load(folder, trackersFile, speaker);
    }
}
