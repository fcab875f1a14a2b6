/* Report file names when several processes write into one output path.
 *
 * The first process keeps the plain names (<component>.json/.txt); every
 * other one adds ".pid<pid>" (or, under MPI, the MPI layer forces ".rank<r>"
 * for per-rank files and "" for rank 0's merged files). "First" is decided
 * by claiming <output_path>/.timemory-owner with O_CREAT|O_EXCL; the file
 * holds "<pid> <hostname>". A claim left by a process that has exited (same
 * host, kill(pid, 0) fails with ESRCH) is taken over, so a rerun into the
 * same directory writes the plain names again. A fork() child never takes
 * the plain names: its parent is still running and will write its own. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "multiproc.h"

int (*tm_finalize_hook)(void);
int64_t (*tm_rank_hook)(void);

static char tm_suffix[64];
static char tm_forced[64];
static bool tm_is_forced;

const char *tm_output_suffix(void) { return tm_is_forced ? tm_forced : tm_suffix; }

void tm_output_suffix_force(const char *suffix) {
    tm_is_forced = suffix != NULL;
    snprintf(tm_forced, sizeof tm_forced, "%s", suffix ? suffix : "");
}

/* True when the claim file names a live process other than this one (or a
 * process on another host, which cannot be checked). */
static bool tm_claim_held_by_other(const char *claim) {
    FILE *f = fopen(claim, "r");
    if (!f) return false;
    long long pid = 0;
    char host[256] = "", mine[256] = "";
    int n = fscanf(f, "%lld %255s", &pid, host);
    fclose(f);
    if (n < 1 || pid <= 0) return false; /* unreadable or half-written: stale */
    if (gethostname(mine, sizeof mine) != 0) mine[0] = '\0';
    mine[sizeof mine - 1] = '\0';
    if (n == 2 && strcmp(host, mine) != 0) return true;
    if (pid == (long long)getpid()) return false;
    return !(kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

static bool tm_claim(const char *claim) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        int fd = open(claim, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0) {
            char line[320], host[256] = "";
            if (gethostname(host, sizeof host) != 0) host[0] = '\0';
            host[sizeof host - 1] = '\0';
            int len = snprintf(line, sizeof line, "%lld %s\n", (long long)getpid(), *host ? host : "-");
            bool ok = write(fd, line, (size_t)len) == len;
            close(fd);
            return ok;
        }
        if (errno != EEXIST) return false; /* cannot claim: stay out of the plain names */
        if (tm_claim_held_by_other(claim)) return false;
        /* ours already, or stale: take it over (two racing takers: only one
         * O_EXCL create succeeds) */
        FILE *f = fopen(claim, "r");
        long long pid = 0;
        bool mine = f && fscanf(f, "%lld", &pid) == 1 && pid == (long long)getpid();
        if (f) fclose(f);
        if (mine) return true;
        unlink(claim);
    }
    return false;
}

void tm_output_suffix_decide(const char *dir) {
    if (tm_is_forced) return;
    char claim[1200];
    snprintf(claim, sizeof claim, "%s/.timemory-owner", dir);
    if (!tm_is_fork_child() && tm_claim(claim))
        tm_suffix[0] = '\0';
    else
        snprintf(tm_suffix, sizeof tm_suffix, ".pid%lld", (long long)getpid());
}
