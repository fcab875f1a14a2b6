/* Collective tm_finalize() under MPI: see timemory_mpi.h. Sets the core's
 * finalize and rank hooks at load, so //:timemory itself needs no MPI. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <timemory/timemory.h>

#include "core/src/multiproc.h"
#include "mpi/timemory_mpi.h"

/* A fork() child of a rank is no MPI process of its own: it writes its own
 * files (.pid<pid>) and takes part in no collective. */
static bool tm_mpi_active(void) {
    if (tm_is_fork_child()) return false;
    int init = 0, fin = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    return init && !fin;
}

static int64_t tm_mpi_rank(void) {
    int rank = -1;
    if (tm_mpi_active()) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

enum { TM_MPI_TAG = 0x746d }; /* "tm" */

/* Messages of any size: the length (uint64), then chunks of at most 1 GiB
 * (an MPI count is an int). A length of 0 means "nothing": a rank that
 * failed to serialize still completes the exchange, so no rank hangs. */
#define TM_MPI_CHUNK ((size_t)1 << 30)

static void tm_mpi_send(const char *text, size_t len, int to, MPI_Comm comm) {
    uint64_t n = len;
    MPI_Send(&n, 1, MPI_UINT64_T, to, TM_MPI_TAG, comm);
    for (size_t off = 0; off < len; off += TM_MPI_CHUNK) {
        size_t k = len - off < TM_MPI_CHUNK ? len - off : TM_MPI_CHUNK;
        MPI_Send(text + off, (int)k, MPI_CHAR, to, TM_MPI_TAG, comm);
    }
}

/* NULL (and *len 0) when the partner sent nothing or memory ran out; the
 * message is consumed either way. */
static char *tm_mpi_recv(size_t *len, int from, MPI_Comm comm) {
    uint64_t n = 0;
    MPI_Recv(&n, 1, MPI_UINT64_T, from, TM_MPI_TAG, comm, MPI_STATUS_IGNORE);
    char *text = n ? malloc((size_t)n) : NULL;
    char sink[4096];
    for (size_t off = 0; off < n; off += TM_MPI_CHUNK) {
        size_t k = n - off < TM_MPI_CHUNK ? n - off : TM_MPI_CHUNK;
        if (text) {
            MPI_Recv(text + off, (int)k, MPI_CHAR, from, TM_MPI_TAG, comm, MPI_STATUS_IGNORE);
        } else { /* drain without a buffer: probe the chunk and drop it */
            MPI_Status st;
            MPI_Probe(from, TM_MPI_TAG, comm, &st);
            int c = 0;
            MPI_Get_count(&st, MPI_CHAR, &c);
            char *tmp = malloc(c > 0 ? (size_t)c : 1);
            MPI_Recv(tmp ? tmp : sink, tmp ? c : 0, MPI_CHAR, from, TM_MPI_TAG, comm, MPI_STATUS_IGNORE);
            free(tmp);
        }
    }
    *len = text ? (size_t)n : 0;
    return text;
}

int tm_mpi_reduce_profile(MPI_Comm comm, tm_profile_t *p, int *rounds) {
    int rank = 0, size = 1, rc = TM_OK, r = 0;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    for (int step = 1; step < size; step <<= 1, ++r) {
        if (rank & step) {
            /* send once, then this rank is done: its data lives on in the
             * partner's tree */
            char *text = NULL;
            size_t len = 0;
            if (rc == TM_OK && p) rc = tm_profile_to_json(p, &text, &len);
            tm_mpi_send(text, rc == TM_OK ? len : 0, rank - step, comm);
            free(text);
            break;
        }
        if (rank + step >= size) continue;
        size_t len = 0;
        char *text = tm_mpi_recv(&len, rank + step, comm);
        if (text && p) {
            char name[64];
            snprintf(name, sizeof name, "rank %d's profile", rank + step);
            tm_profile_t *from = NULL;
            int prc = tm_profile_parse(text, len, name, &from);
            if (prc == TM_OK) prc = tm_profile_merge(p, from);
            tm_profile_free(from);
            if (prc != TM_OK && rc == TM_OK) rc = prc;
        } else if (p) {
            fprintf(stderr,
                    "[timemory] warning: rank %d: nothing received from rank %d (it failed, or out of "
                    "memory here); its results are missing from the merge\n",
                    rank, rank + step);
            if (rc == TM_OK) rc = TM_E_NOMEM;
        }
        free(text);
    }
    int total = 0;
    while ((1 << total) < size) ++total;
    if (rounds) *rounds = total;
    return rc;
}

static bool tm_mpi_flag(const char *name) {
    const char *v = tm_settings_get(name);
    return v && strcmp(v, "1") == 0;
}

static int tm_mpi_finalize(void) {
    if (!tm_mpi_active()) return tm_reports_write_all();
    MPI_Comm comm;
    MPI_Comm_dup(MPI_COMM_WORLD, &comm); /* our messages never meet the user's */
    int rank = 0, rc = TM_OK;
    MPI_Comm_rank(comm, &rank);
    if (tm_mpi_flag("mpi_per_rank_output")) {
        char suffix[32];
        snprintf(suffix, sizeof suffix, ".rank%d", rank);
        tm_output_suffix_force(suffix);
        rc = tm_reports_write_all();
    }
    tm_output_suffix_force(""); /* rank 0's merged files take the plain names */
    /* every component any rank recorded: each rank takes part in each merge */
    tm_profile_t *mine[TM_COMPONENT_COUNT] = {0};
    unsigned long long local = 0, all = 0;
    for (int c = 0; c < TM_COMPONENT_COUNT; ++c) {
        if (tm_profile_capture(c, &mine[c]) != TM_OK) continue;
        if (tm_profile_node_count(mine[c]) > 0) local |= 1ull << c;
        /* a compact merge: node statistics and id sets, no values per
         * thread (merging compact profiles keeps them compact) */
        if (tm_mpi_flag("mpi_compact_merge") && tm_profile_compact(mine[c]) != TM_OK) {
            tm_profile_free(mine[c]);
            mine[c] = NULL;
        }
    }
    MPI_Allreduce(&local, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_BOR, comm);
    for (int c = 0; c < TM_COMPONENT_COUNT; ++c) {
        if (!(all >> c & 1)) continue;
        /* a rank that could not capture still takes every turn (with
         * nothing to add), so no rank waits forever */
        int r = tm_mpi_reduce_profile(comm, mine[c], NULL);
        if (!mine[c] && r == TM_OK) r = TM_E_NOMEM;
        if (rank == 0 && mine[c] && tm_profile_write_reports(mine[c]) != TM_OK && rc == TM_OK) rc = TM_E_IO;
        if (r != TM_OK && rc == TM_OK) rc = r;
    }
    for (int c = 0; c < TM_COMPONENT_COUNT; ++c) tm_profile_free(mine[c]);
    fflush(stdout);
    tm_output_suffix_force(NULL);
    MPI_Comm_free(&comm);
    return rc;
}

__attribute__((constructor)) static void tm_mpi_register(void) {
    tm_finalize_hook = tm_mpi_finalize;
    tm_rank_hook = tm_mpi_rank;
}
