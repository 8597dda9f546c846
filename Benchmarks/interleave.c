/* Benchmarks/interleave.c: times whole commands, round-robin, so that a machine whose
 * load drifts (other builds, a VM) shifts every command alike. Each round runs every
 * command once, starting with a different one each round; stdin, stdout and stderr are
 * /dev/null, as hyperfine -N does. Any non-zero exit status aborts the run.
 *
 * Usage: interleave RUNS WARMUP SAMPLES_FILE NAME CMD [ARG...] [';;' NAME CMD [ARG...]]...
 * Prints `e2e NAME median_ms=M p90_ms=P mean_ms=A min_ms=N runs=R` per command and
 * appends raw `NAME MS` lines to SAMPLES_FILE. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_COMMANDS 8

struct command {
    const char *name;
    char **argv;
    double *samples;
};

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double run_once(const struct command *c) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (int fd = 0; fd < 3; fd++) posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_RDWR, 0);
    double start = now_ms();
    pid_t pid;
    int rc = posix_spawn(&pid, c->argv[0], &actions, NULL, c->argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        fprintf(stderr, "interleave: %s: cannot run %s: %s\n", c->name, c->argv[0], strerror(rc));
        exit(1);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            perror("interleave: waitpid");
            exit(1);
        }
    double elapsed = now_ms() - start;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "interleave: %s exited with status %d (command:", c->name, status);
        for (char **a = c->argv; *a; a++) fprintf(stderr, " %s", *a);
        fprintf(stderr, ")\n");
        exit(1);
    }
    return elapsed;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: interleave RUNS WARMUP SAMPLES_FILE NAME CMD [ARG...] [';;' NAME CMD [ARG...]]...\n");
        return 2;
    }
    int runs = atoi(argv[1]), warmup = atoi(argv[2]);
    const char *samples_path = argv[3];
    if (runs < 1 || warmup < 0) return 2;
    struct command commands[MAX_COMMANDS];
    int n = 0;
    for (int i = 4; i < argc;) {
        if (n == MAX_COMMANDS || i + 1 >= argc) {
            fprintf(stderr, "interleave: each command needs a name and a program (at most %d commands)\n",
                    MAX_COMMANDS);
            return 2;
        }
        commands[n].name = argv[i];
        commands[n].argv = &argv[i + 1];
        int j = i + 1;
        while (j < argc && strcmp(argv[j], ";;") != 0) j++;
        if (j < argc) argv[j] = NULL; /* terminates this command's argv */
        commands[n].samples = calloc((size_t)runs, sizeof(double));
        if (!commands[n].samples) return 1;
        n++;
        i = j + 1;
    }
    for (int r = 0; r < warmup; r++)
        for (int k = 0; k < n; k++) (void)run_once(&commands[(r + k) % n]);
    for (int r = 0; r < runs; r++)
        for (int k = 0; k < n; k++) {
            struct command *c = &commands[(r + k) % n];
            c->samples[r] = run_once(c);
        }
    FILE *out = fopen(samples_path, "a");
    if (!out) {
        perror(samples_path);
        return 1;
    }
    for (int k = 0; k < n; k++) {
        struct command *c = &commands[k];
        double sum = 0;
        for (int r = 0; r < runs; r++) {
            fprintf(out, "%s %.4f\n", c->name, c->samples[r]);
            sum += c->samples[r];
        }
        qsort(c->samples, (size_t)runs, sizeof(double), compare);
        double median = runs % 2 ? c->samples[runs / 2] : (c->samples[runs / 2 - 1] + c->samples[runs / 2]) / 2;
        printf("e2e %s median_ms=%.3f p90_ms=%.3f mean_ms=%.3f min_ms=%.3f runs=%d\n", c->name, median,
               c->samples[(int)((runs - 1) * 0.9 + 0.5)], sum / runs, c->samples[0], runs);
    }
    fclose(out);
    return 0;
}
