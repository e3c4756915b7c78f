package org.emergenceinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * report.html as a user sees it: opened in headless Chromium (Debian's {@code chromium} package; {@code .ci/run}
 * installs it), screenshot and DOM checked. In CI ({@code CI=true}) a missing or broken browser fails the test;
 * elsewhere it is skipped. {@code CHROMIUM=/path/to/chrome} picks another binary.
 */
class InitReportBrowserTest {

    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    private static Path chromium() {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("CHROMIUM") != null) {
            candidates.add(System.getenv("CHROMIUM"));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "chrome")) {
                candidates.add(dir + "/" + name);
            }
        }
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void unavailable(String why) {
        if (CI) {
            fail("headless Chromium is needed in CI (.ci/run installs Debian's chromium package): " + why);
        }
        assumeTrue(false, "skipped outside CI: " + why);
    }

    /** Runs the browser; returns its standard output, or null (after {@link #unavailable}) if it did not work. */
    private static String browse(Path browser, Path profile, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path stdout = Files.createTempFile(log.getParent(), "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            unavailable("the browser did not finish within 180 s: " + cmd);
            return null;
        }
        if (p.exitValue() != 0) {
            unavailable("the browser exited with status " + p.exitValue() + ": " + tail(log));
            return null;
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String tail(Path log) throws IOException {
        String s = Files.exists(log) ? Files.readString(log) : "";
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    @Test
    void reportRendersItsTableAndPlotsInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path browser = chromium();
        if (browser == null) {
            unavailable("no chromium, chromium-browser or google-chrome on the PATH");
            return;
        }
        Path out = dir.resolve("report");
        InitReportCommandTest.report(out, "--arch", "mlp:784-24-24-24-10", "--inits",
                "xavier,emergence-xavier@1.5,kaiming");
        String url = out.resolve("report.html").toUri().toString();
        Path profile = Files.createDirectories(dir.resolve("profile"));

        Path shot = dir.resolve("screenshot.png");
        browse(browser, profile, dir.resolve("shot.log"), "--screenshot=" + shot, "--window-size=1200,1600", url);
        if (!Files.isRegularFile(shot)) {
            unavailable("no screenshot written: " + tail(dir.resolve("shot.log")));
            return;
        }
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(1600, image.getHeight());
        long nonWhite = 0;
        long coloured = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r < 240 || g < 240 || b < 240) {
                    nonWhite++;
                }
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    coloured++;
                }
            }
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        assertTrue(nonWhite > pixels / 50, "the page is blank: " + nonWhite + " non-white pixels of " + pixels);
        // text, table and axes are grey; the plots' lines are coloured
        assertTrue(coloured > 2000, "no plot lines rendered: " + coloured + " coloured pixels");

        String dom = browse(browser, profile, dir.resolve("dom.log"), "--dump-dom", url);
        assertTrue(dom.contains("<table id=\"layers\">") && dom.contains("<table id=\"summary\">"), "the tables");
        for (String layer : List.of("layer0", "layer1", "layer2")) {
            assertTrue(dom.contains("<td class=\"layer\">" + layer + "</td>"), layer + " in the DOM");
        }
        Matcher img = Pattern.compile("<img id=\"plot-[a-z-]+\"[^>]*src=\"data:image/png;base64,").matcher(dom);
        int plots = 0;
        while (img.find()) {
            plots++;
        }
        assertEquals(8, plots, "eight embedded plots");
        for (String init : List.of("xavier", "emergence-xavier@1.5", "kaiming")) {
            assertTrue(dom.contains("<td>" + init + "</td>"), init);
        }
    }
}
