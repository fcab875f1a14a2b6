/*
 * timemory-c under MPI (//:timemory_mpi, Debian's OpenMPI).
 *
 * Linking this library makes tm_finalize() collective while MPI is
 * initialized (call it before MPI_Finalize, on every rank): each rank's
 * profile of every component any rank recorded is merged into one tree on
 * rank 0 by a reduction tree of ceil(log2 P) rounds (in round k, rank r with
 * bit k set sends its serialized profile to rank r - 2^k, which parses and
 * merges it), and rank 0 writes <output_path>/<component>.json/.txt once,
 * with the (rank, pid) table in the metadata and a "ranks" set on each node.
 * With the mpi_per_rank_output setting every rank also writes its own
 * <component>.rank<r>.json/.txt. Without MPI initialized (or after
 * MPI_Finalize) tm_finalize() behaves as in //:timemory.
 */
#ifndef TIMEMORY_MPI_H
#define TIMEMORY_MPI_H

#include <mpi.h>

#include <timemory/serialize.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Collective over `comm`: merges every rank's `*p` into rank 0's by the
 * reduction tree above. On rank 0 *p is the merged profile afterwards; the
 * other ranks' profiles are unchanged. Returns TM_OK, or the first error of
 * this rank (a rank whose partner failed still takes part in every round, so
 * no rank hangs; `p` NULL takes part with nothing to add). `rounds` (may be
 * NULL) receives ceil(log2 P). */
int tm_mpi_reduce_profile(MPI_Comm comm, tm_profile_t *p, int *rounds);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_MPI_H */
