package org.emergenceinit.onednn;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Calls {@link OneDnn#enable()} when the JUnit platform starts, before any test class touches ND4J, so that the
 * tests of every module run DL4J's layers the way {@code bin/emergence} and the example mains do. Registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener} of this module's test-jar, which the
 * other modules' tests depend on.
 */
public final class OneDnnTestSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        OneDnn.enable();
    }
}
