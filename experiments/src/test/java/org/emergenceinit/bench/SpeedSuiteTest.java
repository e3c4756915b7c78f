package org.emergenceinit.bench;

import org.emergenceinit.bench.SpeedSuite.Backend;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The speed table's parsing and arithmetic (the timings themselves are benchmarks, not tests). */
class SpeedSuiteTest {

    @Test
    void readsOnlyNameValueLines() {
        Map<String, String> m = SpeedSuite.parse(List.of("INFO OneDnn - oneDNN: natives linux-x86_64",
                "natives linux-x86_64-onednn-avx512", "onednn_layers 1", "cnn_train_images_per_second 423.5",
                "torch_mlp_epoch_seconds 8.1e-01", "random words here",
                "torch_transformer_step_seconds 0.3830 mean 0.39 min 0.37 steps 10", "epoch 1/1  train loss 2.3"));
        assertEquals(Map.of("natives", "linux-x86_64-onednn-avx512", "onednn_layers", "1",
                "cnn_train_images_per_second", "423.5", "torch_mlp_epoch_seconds", "8.1e-01",
                "torch_transformer_step_seconds", "0.3830", "random", "words"), m);
    }

    @Test
    void timeRatiosPutTheSlowerOverTheFaster() {
        assertEquals(1.5, SpeedSuite.timeRatio(400, 600, true), 1e-12);   // 400 images/s against 600
        assertEquals(2.0, SpeedSuite.timeRatio(1.6, 0.8, false), 1e-12);  // 1.6 s against 0.8 s
        assertEquals(2.0, SpeedSuite.median(List.of(3.0, 1.0, 2.0)), 0);
        assertEquals(2.5, SpeedSuite.median(List.of(4.0, 1.0, 2.0, 3.0)), 0);
    }

    @Test
    void theTableShowsMediansAndRatios() {
        Map<String, List<SpeedSuite.Workload>> all = SpeedSuite.workloads(Path.of("data"), 5);
        Map<String, Map<Backend, List<Double>>> values = new LinkedHashMap<>();
        values.put("mlp mlp_epoch_seconds", Map.of(Backend.PROJECT, List.of(1.2, 1.0, 1.1),
                Backend.PLAIN, List.of(1.3), Backend.TORCH, List.of(0.8)));
        String t = SpeedSuite.table(List.of("mlp"), all, values, List.of(Backend.PROJECT, Backend.PLAIN,
                Backend.TORCH));
        assertTrue(t.contains("| mlp | mlp_epoch_seconds | 1.100 | 1.300 | 0.800 | 1.38x | 1.63x | 1.18x |"), t);
    }

    @Test
    void unknownWorkloadsAreNamed() {
        Map<String, List<SpeedSuite.Workload>> all = SpeedSuite.workloads(Path.of("data"), 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpeedSuite.names("cnn,resnet", all));
        assertTrue(e.getMessage().contains("'resnet'") && e.getMessage().contains("cnn-bn"), e.getMessage());
        assertEquals(List.of("cnn", "mlp"), SpeedSuite.names("cnn, mlp", all));
    }
}
