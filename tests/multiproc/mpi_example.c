/* A C program under mpirun (tests/multiproc/mpi_test.py checks its files).
 * Uneven work: rank r runs "work" r + 1 times; rank 1 alone records
 * "rank1_only"; ranks 0 and 2 record "thread_work" on two threads each;
 * with --empty-last the last rank records nothing. Rank 1 also forks a child
 * that records "forked_child" and writes its own files. tm_finalize() is collective
 * (//:timemory_mpi) and is called before MPI_Finalize on every rank. */
#include <mpi.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <timemory/timemory.h>

static volatile double tm_sink;

static void spin(int n) {
    for (int i = 0; i < n * 1000; ++i) tm_sink += i * 0.5;
}

static void *thread_main(void *arg) {
    (void)arg;
    for (int i = 0; i < 3; ++i) {
        tm_push_region("thread_work");
        spin(5);
        tm_pop_region("thread_work");
    }
    return NULL;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    tm_init("mpi_example");
    bool empty = argc > 1 && strcmp(argv[1], "--empty-last") == 0 && rank == size - 1;
    if (!empty) {
        tm_push_region("main");
        for (int i = 0; i <= rank; ++i) {
            tm_push_region("work");
            spin(10 * (rank + 1));
            tm_pop_region("work");
        }
        if (rank == 1) {
            tm_push_region("rank1_only");
            spin(3);
            tm_pop_region("rank1_only");
            /* a fork child of a rank is no rank: it writes its own .pid file
             * and takes part in no collective (it would hang otherwise) */
            pid_t child = fork();
            if (child == 0) {
                tm_push_region("forked_child");
                tm_pop_region("forked_child");
                _exit(tm_finalize() == TM_OK ? 0 : 1);
            }
            int status = 1;
            if (child < 0 || waitpid(child, &status, 0) != child || status != 0) {
                fprintf(stderr, "rank 1: the fork child failed (status %d)\n", status);
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
            printf("forked_child %d\n", (int)child);
            fflush(stdout);
        }
        if (rank == 0 || rank == 2) {
            pthread_t th[2];
            for (int i = 0; i < 2; ++i) pthread_create(&th[i], NULL, thread_main, NULL);
            for (int i = 0; i < 2; ++i) pthread_join(th[i], NULL);
        }
        tm_pop_region("main");
    }
    int rc = tm_finalize();
    MPI_Finalize();
    if (rc != TM_OK) fprintf(stderr, "rank %d: tm_finalize: %s\n", rank, tm_last_error());
    return rc == TM_OK ? 0 : 1;
}
