/* merge_scaling: the MPI reduction tree of //:timemory_mpi, simulated on
 * one core for P = 1, 2, 4, ... ranks of `nodes_per_rank` nodes each (half
 * a call tree every rank shares, half rank-specific).
 *
 * In a reduction tree rank 0 is the critical path: in round k it receives
 * the merged profile of ranks [2^k, 2^(k+1)) and merges it into its own,
 * which then holds ranks [0, 2^(k+1)). The partner's profile is built
 * directly (it is what the partner's own rounds produce) and the timed part
 * is exactly the per-round work of the two ranks on that path: the
 * partner's tm_profile_write_json into memory, rank 0's tm_profile_parse
 * and tm_profile_merge. So after round k the figures are those of a run of
 * P = 2^(k+1) ranks: merge_ms is the sum of the rounds (the makespan
 * without the network), peak_mb the process's peak RSS (rank 0's tree plus
 * the round's message and parsed copy; the partner's tree is counted too),
 * msg_mb the largest message.
 *
 *   tools/bazel run -c opt //bench:merge_scaling [-- --max-p N] [--nodes N] [--full]
 *
 * By default the merge is compact (setting mpi_compact_merge): every
 * profile is tm_profile_compact()ed (node statistics and tid/pid sets, no
 * values per thread) before it is sent, as the partner's own compact
 * rounds leave it; --full keeps every (tid, pid) record at every node.
 *
 * The default stops at P=256; P=4096 (compact) needs about 16 GB and 15 to
 * 25 minutes on a loaded 2-core machine (--full: about 19 GB, slower).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/src/multiproc.h"
#include "core/src/profile.h"
#include "core/src/rank_table.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double peak_mb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

static void value(tm_value_t *v, double x) {
    v->data = x;
    v->stats.count = 1;
    v->stats.sum = x;
    v->stats.min = x;
    v->stats.max = x;
    v->stats.sqr = x * x;
}

/* Adds rank r's graph to p: `shared` nodes of a call tree every rank has
 * (8 children per node, labels "f<i>"), then `own` nodes under "rank<r>". */
static bool add_rank(tm_profile_t *p, int r, uint32_t shared, uint32_t own, uint32_t *ids) {
    int64_t pid = 100000 + r;
    uint32_t root = tm_profile_child(p, TM_PNONE, TM_PNODE_ROOT, "[root]", 0, -1);
    tm_value_t zero = {0}, v;
    if (root == TM_PNONE || !tm_profile_add_record(p, root, 0, pid, &zero, &zero)) return false;
    char label[64];
    for (uint32_t i = 0; i < shared + own; ++i) {
        bool mine = i >= shared;
        uint32_t k = mine ? i - shared : i;
        uint32_t parent = k == 0 ? root : ids[(mine ? shared : 0) + (k - 1) / 8];
        if (mine && k == 0) snprintf(label, sizeof label, "rank%d", r);
        else snprintf(label, sizeof label, "%s%u", mine ? "g" : "f", k);
        uint32_t id = tm_profile_child(p, parent, TM_PNODE_REGION, label, tm_hash_string(label), 0);
        value(&v, 1e-3 * (1 + (i + r) % 97));
        if (id == TM_PNONE || !tm_profile_add_record(p, id, 0, pid, &v, &v)) return false;
        tm_value_merge(TM_KIND_DELTA, &p->nodes[id].incl, &v);
        tm_value_merge(TM_KIND_DELTA, &p->nodes[id].excl, &v);
        ids[i] = id;
    }
    return tm_rank_table_add(p, r, pid);
}

/* The profile of ranks [lo, hi) as their merge would leave it. */
static bool compact = true; /* --full: keep every (tid, pid) record */

static tm_profile_t *ranks_profile(int lo, int hi, uint32_t shared, uint32_t own, uint32_t *ids) {
    tm_profile_t *p = tm_profile_new();
    if (!p || tm_run_info_capture(p, TM_WALL_CLOCK) != TM_OK) return NULL;
    p->info.n_ranks = 0;
    for (int r = lo; r < hi; ++r)
        if (!add_rank(p, r, shared, own, ids)) return NULL;
    p->info.runs = (uint64_t)(hi - lo);
    tm_run_info_count_threads(p);
    if (compact && tm_profile_compact(p) != TM_OK) {
        tm_profile_free(p);
        return NULL;
    }
    return p;
}

int main(int argc, char **argv) {
    int max_p = 256; /* see the note printed when capped */
    uint32_t nodes = 10000;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--max-p") == 0 && i + 1 < argc) max_p = atoi(argv[++i]);
        else if (strcmp(argv[i], "--nodes") == 0 && i + 1 < argc) nodes = (uint32_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--full") == 0) compact = false;
        else {
            fprintf(stderr, "merge_scaling: unknown argument '%s' (valid: --max-p N, --nodes N, --full)\n",
                    argv[i]);
            return 2;
        }
    }
    if (max_p < 1 || nodes < 2) {
        fprintf(stderr, "merge_scaling: --max-p must be >= 1 and --nodes >= 2\n");
        return 2;
    }
    tm_init("merge_scaling");
    uint32_t shared = nodes / 2, own = nodes - shared;
    uint32_t *ids = malloc(nodes * sizeof *ids);
    tm_profile_t *rank0 = ids ? ranks_profile(0, 1, shared, own, ids) : NULL;
    if (!rank0) {
        fprintf(stderr, "merge_scaling: out of memory\n");
        return 1;
    }
    printf("merge: %s\n", compact ? "compact (node statistics and id sets; --full for every record)"
                                   : "full (every (tid, pid) record at every node)");
    printf("%6s %7s %12s %10s %10s %12s %12s\n", "P", "rounds", "merge_ms", "round_ms", "peak_mb", "msg_mb",
           "rank0_nodes");
    printf("%6d %7d %12.1f %10.1f %10.1f %12.1f %12zu\n", 1, 0, 0.0, 0.0, peak_mb(), 0.0,
           tm_profile_node_count(rank0));
    double total = 0, msg_max = 0;
    int p = 1, rounds = 0;
    while (p * 2 <= max_p) {
        tm_profile_t *partner = ranks_profile(p, 2 * p, shared, own, ids);
        if (!partner) {
            fprintf(stderr, "merge_scaling: out of memory building %d ranks\n", p);
            return 1;
        }
        double t0 = now_ms();
        char *text = NULL;
        size_t len = 0;
        int rc = tm_profile_to_json(partner, &text, &len);
        tm_profile_free(partner); /* lives on the partner rank, not here */
        tm_profile_t *from = NULL;
        if (rc == TM_OK) rc = tm_profile_parse(text, len, "partner", &from);
        free(text);
        if (rc == TM_OK) rc = tm_profile_merge(rank0, from);
        tm_profile_free(from);
        double dt = now_ms() - t0;
        if (rc != TM_OK) {
            fprintf(stderr, "merge_scaling: round %d failed: %s\n", rounds, tm_last_error());
            return 1;
        }
        total += dt;
        msg_max = len / 1048576.0 > msg_max ? len / 1048576.0 : msg_max;
        p *= 2;
        ++rounds;
        printf("%6d %7d %12.1f %10.1f %10.1f %12.1f %12zu\n", p, rounds, total, dt, peak_mb(), msg_max,
               tm_profile_node_count(rank0));
        fflush(stdout);
    }
    if (p < 4096)
        printf("(capped at P=%d by --max-p (default 256): the time and the memory of rank 0 double with P, so\n"
               " P=4096 would need about %.0f GB and %.0f s here; run --max-p 4096 on a machine with that memory)\n",
               p, peak_mb() * 4096 / p / 1024, total * 4096 / p / 1000);
    printf("merge_scaling: P=%d nodes_per_rank=%u rounds=%d merge_ms=%.1f peak_mb=%.1f merge=%s\n", p, nodes, rounds,
           total, peak_mb(), compact ? "compact" : "full");
    tm_profile_free(rank0);
    free(ids);
    return 0;
}
