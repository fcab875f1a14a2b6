/* Chan et al.'s pairwise update: the (count, mean, m2) of two sample sets
 * combined as if one set, without the cancellation of sum-of-squares
 * formulas. m2 is the sum of squared deviations from the mean. Used where
 * threads merge (view_tree.c) and where profiles merge (tree_merge.c). */
#ifndef TIMEMORY_CHAN_H
#define TIMEMORY_CHAN_H

/* Adds (nb, mean_b, m2_b) into (*mean, *m2) of `na` samples; nb > 0. */
static inline void tm_chan_combine(double na, double *mean, double *m2, double nb, double mean_b, double m2_b) {
    const double n = na + nb, d = mean_b - *mean;
    *mean += d * (nb / n);
    *m2 += m2_b + d * d * (na * nb / n);
}

#endif /* TIMEMORY_CHAN_H */
