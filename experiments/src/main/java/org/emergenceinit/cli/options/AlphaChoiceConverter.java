package org.emergenceinit.cli.options;

import org.emergenceinit.harness.AlphaChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli's converter for {@code --alpha}: a number or {@code auto} ({@link AlphaChoice#parse}). */
public final class AlphaChoiceConverter implements ITypeConverter<AlphaChoice> {
    @Override
    public AlphaChoice convert(String value) {
        try {
            return AlphaChoice.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("a number > 0 or auto, got '" + value + "'");
        }
    }
}
