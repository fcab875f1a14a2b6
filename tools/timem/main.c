/* timem: runs a command and prints its measurement totals.
 *
 *   timem [-o FILE] [-e NAME[,NAME...]] [--] CMD [ARGS...]
 *
 * The report goes to standard error, so CMD's standard output stays as it
 * was. Exit status: CMD's; 128+N when CMD was killed by signal N; 127 when
 * CMD was not found, 126 when it could not be executed; 2 for a usage error
 * (CMD is then not run); 1 when timem itself failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/timem/json.h"
#include "tools/timem/options.h"
#include "tools/timem/report.h"
#include "tools/timem/run.h"
#include "tools/timem/totals.h"
#include "timemory_version.h"

/* Prints why CMD could not be executed and returns the shell's exit status. */
static int report_exec_failure(const char *cmd, int err) {
    if (err == ENOENT && !strchr(cmd, '/')) {
        fprintf(stderr, "timem: %s: command not found\n", cmd);
        return 127;
    }
    fprintf(stderr, "timem: %s: %s\n", cmd, strerror(err));
    return (err == ENOENT || err == ENOTDIR) ? 127 : 126;
}

int main(int argc, char **argv) {
    timem_options_t opts;
    int rc = timem_options_parse(argc, argv, &opts, stderr);
    if (rc) return rc;
    if (opts.help) {
        timem_options_usage(stdout);
        return 0;
    }
    if (opts.version) {
        printf("timem %s\n", TM_VERSION_STRING);
        return 0;
    }

    /* Under `bazel run` the working directory is the runfiles tree; run CMD
     * (and resolve -o FILE) where the user typed the command instead. */
    const char *bwd = getenv("BUILD_WORKING_DIRECTORY");
    if (bwd && *bwd && chdir(bwd) != 0) {
        fprintf(stderr, "timem: cannot enter BUILD_WORKING_DIRECTORY '%s': %s\n", bwd, strerror(errno));
        return 1;
    }

    /* Open -o FILE first: a bad path is reported before CMD runs. Close on
     * exec, so CMD does not inherit it. */
    FILE *json = NULL;
    if (opts.output) {
        json = fopen(opts.output, "we");
        if (!json) {
            fprintf(stderr, "timem: -o: cannot open '%s': %s\n", opts.output, strerror(errno));
            return TIMEM_EXIT_USAGE;
        }
    }

    timem_run_t run;
    const char *what = NULL;
    if (timem_run(opts.command, &run, &what) != 0) {
        fprintf(stderr, "timem: %s: %s\n", what, strerror(errno));
        if (json) fclose(json);
        return 1;
    }
    if (run.exec_errno) {
        if (json) {
            fclose(json);
            remove(opts.output);
        }
        return report_exec_failure(opts.command[0], run.exec_errno);
    }

    int status = 0;
    if (WIFEXITED(run.wait_status))
        status = WEXITSTATUS(run.wait_status);
    else if (WIFSIGNALED(run.wait_status))
        status = 128 + WTERMSIG(run.wait_status);

    timem_totals_t totals;
    timem_totals_compute(&run, &totals);
    const char *name = timem_command_name(opts.command[0]);

    fputc('\n', stderr); /* set the report apart from CMD's output */
    if (json) {
        fprintf(stderr, "[%s]> Outputting '%s'...\n", name, opts.output);
        int werr = timem_json_write(json, opts.command, status, &run, &totals, opts.selected);
        if (fclose(json) != 0) werr = -1;
        if (werr) fprintf(stderr, "timem: -o: writing '%s' failed: %s\n", opts.output, strerror(errno));
    }
    timem_report_print(stderr, name, &totals, opts.selected);
    return status;
}
