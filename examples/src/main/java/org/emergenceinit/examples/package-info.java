/**
 * Runnable examples and the pieces they share: network shapes by name ({@link org.emergenceinit.examples.ArchSpec})
 * and initializations by name ({@link org.emergenceinit.examples.InitSpec}).
 */
package org.emergenceinit.examples;
