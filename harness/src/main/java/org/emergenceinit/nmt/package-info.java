/**
 * Machine translation on Multi30k (German to English) with a SameDiff transformer and the emergence ramp.
 *
 * <ul>
 *   <li>{@link org.emergenceinit.nmt.Bleu}: corpus BLEU as sacreBLEU's default (13a tokenisation, exp
 *       smoothing), also behind {@code bin/emergence bleu --hyp FILE --ref FILE};</li>
 *   <li>{@link org.emergenceinit.nmt.Multi30k}: finds and reads the data ({@code --data-dir},
 *       {@code EMERGENCE_DATA}, cache, download);</li>
 *   <li>{@link org.emergenceinit.nmt.WordTokenizer} and {@link org.emergenceinit.nmt.Vocabulary}: lower-cased
 *       word tokens and a vocabulary with a minimum frequency, saved as text;</li>
 *   <li>{@link org.emergenceinit.nmt.Transformer}: the encoder-decoder model, weights created through
 *       {@link org.emergenceinit.weights.SameDiffRamp} (METHOD.md section 2);</li>
 *   <li>{@link org.emergenceinit.nmt.TranslationExample}: training, greedy decoding, BLEU, run manifest;
 *       {@link org.emergenceinit.nmt.TranslationSweep}: the {@code multi30k-transformer} preset over seeds.</li>
 * </ul>
 */
package org.emergenceinit.nmt;
