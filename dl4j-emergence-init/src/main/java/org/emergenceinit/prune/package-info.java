/**
 * One-shot magnitude pruning (AlShinaifi et al. 2024, arXiv 2409.01568, docs/METHOD.md section 4):
 * {@link org.emergenceinit.prune.MagnitudePruner}, global or per-layer ranking, with a mask kept during further
 * training. It ranks the weight layers the emergence measure counts, in the same order.
 */
package org.emergenceinit.prune;
