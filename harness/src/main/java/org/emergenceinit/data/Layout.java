package org.emergenceinit.data;

/**
 * Shape of the feature arrays built from images.
 *
 * <ul>
 *   <li>{@link #FLAT}: {@code [n, channels*height*width]}, for dense networks (MLPs);</li>
 *   <li>{@link #IMAGE}: {@code [n, channels, height, width]} (NCHW), for convolutional networks.</li>
 * </ul>
 */
public enum Layout {
    /** {@code [n, channels*height*width]}, pixels in channel, row, column order. */
    FLAT,
    /** {@code [n, channels, height, width]}. */
    IMAGE
}
