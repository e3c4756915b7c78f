/**
 * Machine translation on Multi30k (German to English) with a SameDiff transformer.
 *
 * <ul>
 *   <li>{@link org.emergenceinit.nmt.Bleu}: corpus BLEU as sacreBLEU's default (13a tokenisation, exp
 *       smoothing), also behind {@code bin/emergence bleu --hyp FILE --ref FILE}.</li>
 * </ul>
 */
package org.emergenceinit.nmt;
