/* timem: runs a command, sampling it while it runs, and reaps it.
 *
 * The child is started with fork + execvp; a close-on-exec pipe carries the
 * errno of a failed execvp back to the parent. While the child runs, the
 * parent blocks SIGCHLD, SIGINT, SIGTERM and SIGHUP and waits for them with
 * sigtimedwait(), timing out every sample interval to read /proc/PID. A
 * signal sent to timem by a process (kill) is forwarded to the child; one
 * sent by the kernel (the terminal's Ctrl-C, which reaches the whole
 * foreground process group, child included) is not sent a second time.
 * When the child has exited (waitid WNOWAIT: still a zombie), its final
 * /proc/PID/io totals are read and only then is it reaped with wait4().
 */
#define _GNU_SOURCE
#include "tools/timem/run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void take_sample(pid_t pid, timem_run_t *run) {
    timem_proc_sample_t s;
    timem_proc_sample(pid, &s);
    if (s.have_statm) {
        run->last = s;
        run->nsamples++;
        if (s.rss_bytes > run->max_rss_bytes) run->max_rss_bytes = s.rss_bytes;
        if (s.vm_bytes > run->max_vm_bytes) run->max_vm_bytes = s.vm_bytes;
    }
    if (s.have_io) {
        run->have_io = true;
        run->rchar = s.rchar;
        run->wchar = s.wchar;
        run->read_bytes = s.read_bytes;
        run->write_bytes = s.write_bytes;
    }
}

/* True once the child has exited; it stays a zombie until wait4(). */
static bool child_exited(pid_t pid) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    for (;;) {
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0) return info.si_pid == pid;
        if (errno != EINTR) return true; /* ECHILD: nothing left to wait for */
    }
}

/* In the child: restore the signal state and exec; on failure report errno
 * through `fd` and exit. Never returns. */
static void exec_child(char **argv, const sigset_t *oldmask, int fd) {
    sigprocmask(SIG_SETMASK, oldmask, NULL);
    execvp(argv[0], argv);
    int err = errno;
    ssize_t n = write(fd, &err, sizeof err);
    (void)n;
    _exit(127);
}

/* Reads the errno a failed exec sent, or 0 once exec succeeded (EOF). */
static int read_exec_errno(int fd) {
    int err = 0;
    ssize_t n;
    do {
        n = read(fd, &err, sizeof err);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof err ? err : 0;
}

int timem_run(char **argv, timem_run_t *run, const char **what) {
    memset(run, 0, sizeof *run);

    /* An inherited SIG_IGN for SIGCHLD would make the kernel reap the child
     * before wait4() could collect its rusage. */
    signal(SIGCHLD, SIG_DFL);

    sigset_t waitset, oldmask;
    sigemptyset(&waitset);
    sigaddset(&waitset, SIGCHLD);
    sigaddset(&waitset, SIGINT);
    sigaddset(&waitset, SIGTERM);
    sigaddset(&waitset, SIGHUP);
    sigprocmask(SIG_BLOCK, &waitset, &oldmask);

    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) != 0) {
        *what = "pipe";
        int e = errno;
        sigprocmask(SIG_SETMASK, &oldmask, NULL);
        errno = e;
        return -1;
    }

    int64_t start = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(errpipe[0]);
        close(errpipe[1]);
        sigprocmask(SIG_SETMASK, &oldmask, NULL);
        *what = "fork";
        errno = e;
        return -1;
    }
    if (pid == 0) {
        close(errpipe[0]);
        exec_child(argv, &oldmask, errpipe[1]);
    }
    run->pid = pid;
    close(errpipe[1]);
    run->exec_errno = read_exec_errno(errpipe[0]);
    close(errpipe[0]);

    if (run->exec_errno == 0) {
        /* First sample right after exec, then one per interval until exit. */
        for (;;) {
            take_sample(pid, run);
            struct timespec timeout = {0, TIMEM_SAMPLE_INTERVAL_MS * 1000000L};
            siginfo_t info;
            int sig = sigtimedwait(&waitset, &info, &timeout);
            if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
                if (info.si_code != SI_KERNEL) kill(pid, sig);
                continue;
            }
            /* SIGCHLD, timeout or EINTR: see whether the child is done. */
            if (child_exited(pid)) break;
        }
    }
    run->wall_ns = now_ns() - start;
    take_sample(pid, run); /* zombie: final I/O totals */

    int status = 0;
    pid_t r;
    do {
        r = wait4(pid, &status, 0, &run->rusage);
    } while (r < 0 && errno == EINTR);
    run->wait_status = status;

    /* Signals that arrived after the child exited were meant for it, not
     * for timem, which still has to print the report: drop them. */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&waitset, NULL, &zero) > 0) {
    }
    sigprocmask(SIG_SETMASK, &oldmask, NULL);
    return 0;
}
