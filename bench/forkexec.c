// SPDX-License-Identifier: GPL-2.0
/*
 * forkexec - process creation and death: the cost knmt adds to fork,
 * exec and exit (the sched_process_* tracepoints, exit_mmap, and the
 * mmap hook for the new image's mappings).
 *
 *   forkexec [-n N] [-j WORKERS] [-e TARGET]
 *
 * WORKERS threads (default 1) each fork a child, which executes TARGET,
 * and wait for it, N times in all (default 2000), split evenly over the
 * workers.  A child that does not exit 0 is a failure.
 *
 * TARGET is by default this program itself, run as "forkexec --noop",
 * which returns 0 at once.  forkexec is linked statically (bench/Makefile),
 * so the exec maps only its own small image: no dynamic loader, no
 * libraries, the same few mappings on every machine, and nothing to find
 * on the guest's file system but the program already running (its pages
 * are in the page cache).  What is measured is then the process life
 * cycle, not ld.so.  -e /bin/true measures a dynamically linked exec
 * instead (ld.so maps libc: more mmap, mprotect and file faults).
 *
 * The workers are created first and start together from a barrier; the
 * time is from the earliest start to the last worker's end.
 *
 * Result: {"workload":"forkexec","ops":N,"ns":N,"workers":J,
 *          "target":"/path","pid":N}
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define MAX_WORKERS 256
#define NOOP_FLAG "--noop"

extern char **environ;

static char target[PATH_MAX];
static char *child_argv[3];

struct worker {
	struct bench_thread t;
	unsigned long long n;
};

__attribute__((noreturn)) static void usage(void)
{
	printf("Usage: forkexec [-n N] [-j WORKERS] [-e TARGET]\n"
	       "WORKERS threads fork, exec TARGET and wait for it, N times in all,\n"
	       "from a common start.\n"
	       "Prints one JSON line: {\"workload\":\"forkexec\",\"ops\":N,\"ns\":N,...}.\n"
	       "\n"
	       "  -n, --count N          fork+exec+wait cycles over all workers (default 2000)\n"
	       "  -j, --workers WORKERS  worker threads (default 1, at most %d)\n"
	       "  -e, --exec TARGET      program to execute, without arguments (default:\n"
	       "                         this program with " NOOP_FLAG ", which exits 0 at once)\n"
	       "  -h, --help             this help\n", MAX_WORKERS);
	exit(0);
}

static void *run(void *arg)
{
	static const char msg[] = "forkexec: execve of the target failed\n";
	struct worker *w = arg;
	unsigned long long i;
	int status;
	pid_t pid;

	bench_begin(&w->t);
	for (i = 0; i < w->n; i++) {
		pid = fork();
		if (pid < 0)
			die_errno("fork");
		if (pid == 0) {
			/* Only async-signal-safe calls here: a threaded parent. */
			execve(target, child_argv, environ);
			if (write(2, msg, sizeof(msg) - 1) < 0)
				_exit(127);
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR)
				die_errno("waitpid");
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			if (WIFSIGNALED(status))
				die("%s: child %d killed by signal %d", target,
				    (int)pid, WTERMSIG(status));
			die("%s: child %d exited with status %d", target,
			    (int)pid, WEXITSTATUS(status));
		}
	}
	bench_end(&w->t);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "workers", required_argument, NULL, 'j' },
		{ "exec", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long n = 2000;
	uint64_t ns;
	unsigned int nworkers = 1, i;
	const char *exec_arg = NULL;
	char extra[PATH_MAX + 256], qtarget[2 * PATH_MAX];
	struct worker *w;
	ssize_t len;
	int c;

	/* The default target: exit 0 before anything else. */
	if (argc == 2 && !strcmp(argv[1], NOOP_FLAG))
		return 0;

	bench_prog = "forkexec";
	while ((c = getopt_long(argc, argv, "n:j:e:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = parse_count("-n", optarg, 1, 1ULL << 40);
			break;
		case 'j':
			nworkers = (unsigned int)parse_count("-j", optarg, 1,
							     MAX_WORKERS);
			break;
		case 'e':
			exec_arg = optarg;
			break;
		case 'h':
			usage();
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	if (exec_arg) {
		if (strlen(exec_arg) >= sizeof(target))
			usage_error("-e: path too long");
		strcpy(target, exec_arg);
		child_argv[0] = target;
		child_argv[1] = NULL;
	} else {
		len = readlink("/proc/self/exe", target, sizeof(target) - 1);
		if (len < 0)
			die_errno("readlink /proc/self/exe");
		target[len] = '\0';
		child_argv[0] = target;
		child_argv[1] = NOOP_FLAG;
		child_argv[2] = NULL;
	}
	if (access(target, X_OK))
		die_errno("%s", target);

	w = calloc(nworkers, sizeof(*w));
	if (!w)
		die("out of memory");
	for (i = 0; i < nworkers; i++) {
		w[i].t.fn = run;
		w[i].n = n / nworkers + (i < n % nworkers);
	}
	ns = bench_threads(w, sizeof(*w), nworkers);
	free(w);

	snprintf(extra, sizeof(extra), ",\"workers\":%u,\"target\":%s,\"pid\":%ld",
		 nworkers, json_str(qtarget, sizeof(qtarget), target),
		 (long)getpid());
	print_result("forkexec", n, ns, extra);
	return 0;
}
