package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.emergenceinit.weights.RampPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code emergence plan}: what an init does to each layer of a network, without data. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the emergence ramp plan of a network: per weight layer its index, name, type, fan-in,"
                + " fan-out, base, exponent and scale.")
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Option(names = "--input", paramLabel = "CxHxW", defaultValue = "1x28x28",
            description = "Image input shape for a cnn: (default: ${DEFAULT-VALUE}, MNIST).")
    String input;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        NetworkOptions.Built built = network.build(inputType(input, network.source.arch));
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("init", built.initLabel());
            out.put("alpha", built.alpha());
            out.put("target", built.plan().target().label());
            out.put("layers", built.plan().entries());
            out.put("skipped", built.plan().skipped());
            out.put("warnings", built.plan().warnings());
            spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(out));
        } else {
            if (network.source.config != null) {
                spec.commandLine().getOut().println(built.header());
            }
            spec.commandLine().getOut().print(built.plan());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The input type: flat for an mlp (its first number), {@code CxHxW} images for a cnn. */
    static InputType inputType(String chw, String arch) {
        if (arch != null && arch.trim().toLowerCase().startsWith("mlp:")) {
            String first = arch.trim().substring(4).split("-")[0];
            return InputType.feedForward(first.matches("[1-9][0-9]*") ? Long.parseLong(first) : 1);
        }
        List<String> parts = List.of(chw.toLowerCase().split("x"));
        if (parts.size() != 3 || !parts.stream().allMatch(p -> p.matches("[1-9][0-9]*"))) {
            throw new IllegalArgumentException("--input '" + chw + "' is not CxHxW, e.g. 1x28x28 or 3x32x32.");
        }
        return InputType.convolutional(Long.parseLong(parts.get(1)), Long.parseLong(parts.get(2)),
                Long.parseLong(parts.get(0)));
    }
}
