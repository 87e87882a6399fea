// SPDX-License-Identifier: GPL-2.0
/*
 * sleepers - many idle processes, for what knmt costs per process rather
 * than per event: how long `knmt summary` takes over them, and what the
 * module keeps for each (bench/run).
 *
 *   sleepers [-n N] [-m SIZE] [-S]
 *
 * Forks N children (default 1000).  Each child maps SIZE bytes of
 * private anonymous read-write memory without touching it (-m; default
 * 0: no map; at or above knmt's offheap_min_bytes, 128 KiB, the map is an
 * off-heap buffer, so knmt keeps an origin record for it), with -S opens
 * a TCP socket (knmt keeps a socket record), tells the parent it is
 * ready, and sleeps until it is killed.
 *
 * Once every child is ready the parent prints its result line and waits
 * for SIGTERM, SIGINT or SIGHUP; then it kills the children (SIGKILL),
 * reaps them and exits 0.  The children also die with the parent
 * (PR_SET_PDEATHSIG), so nothing is left behind if it is killed.
 * Unlike the other workloads, sleepers keeps running after its line.
 *
 * Result: {"workload":"sleepers","ops":N,"ns":N,"size":N,"socket":B,"pid":N}
 * where ns is the time from the first fork to the last child ready.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define MAX_CHILDREN 100000

static pid_t *children;
static unsigned long long nchildren;

__attribute__((noreturn)) static void usage(void)
{
	printf("Usage: sleepers [-n N] [-m SIZE] [-S]\n"
	       "Forks N idle children and keeps them until SIGTERM, SIGINT or SIGHUP.\n"
	       "Prints one JSON line once they are all ready:\n"
	       "{\"workload\":\"sleepers\",\"ops\":N,\"ns\":N,...}.\n"
	       "\n"
	       "  -n, --count N       children (default 1000, at most %d)\n"
	       "  -m, --map SIZE      each child maps SIZE of private anonymous read-write\n"
	       "                      memory, untouched (K, M, G suffixes; default 0: none)\n"
	       "  -S, --socket        each child opens a TCP socket\n"
	       "  -h, --help          this help\n", MAX_CHILDREN);
	exit(0);
}

static void kill_children(void)
{
	unsigned long long i;

	for (i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	for (i = 0; i < nchildren; i++) {
		while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
	nchildren = 0;
}

/* die() after killing the children started so far. */
__attribute__((format(printf, 1, 2), noreturn))
static void fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kill_children();
	die("%s", msg);
}

/* The child: set up, say so on fd, sleep.  Never returns. */
__attribute__((noreturn)) static void child(int fd, pid_t parent,
					    unsigned long long size, bool sock,
					    const sigset_t *orig)
{
	char c = 'r';

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	sigprocmask(SIG_SETMASK, orig, NULL);
	if (size && mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
		c = 'm';
	if (c == 'r' && sock && socket(AF_INET, SOCK_STREAM, 0) < 0)
		c = 's';
	if (write(fd, &c, 1) != 1 || c != 'r')
		_exit(1);
	close(fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "map", required_argument, NULL, 'm' },
		{ "socket", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long n = 1000, size = 0, ready = 0, i;
	sigset_t stop, orig;
	bool sock = false;
	char extra[256], buf[256];
	pid_t parent, pid;
	uint64_t t0, t1;
	ssize_t len;
	int c, fds[2], sig;

	bench_prog = "sleepers";
	while ((c = getopt_long(argc, argv, "n:m:Sh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = parse_count("-n", optarg, 1, MAX_CHILDREN);
			break;
		case 'm':
			size = parse_size("-m", optarg, 0, 1ULL << 40);
			break;
		case 'S':
			sock = true;
			break;
		case 'h':
			usage();
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	children = calloc(n, sizeof(*children));
	if (!children)
		die("out of memory");
	/* Blocked here, waited for with sigwait; the children unblock them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &stop, &orig))
		die_errno("sigprocmask");
	if (pipe(fds))
		die_errno("pipe");
	parent = getpid();

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			fail("fork (after %llu children): %s", i, strerror(errno));
		if (pid == 0) {
			close(fds[0]);
			child(fds[1], parent, size, sock, &orig);
		}
		children[nchildren++] = pid;
	}
	close(fds[1]);
	while (ready < n) {
		len = read(fds[0], buf, sizeof(buf));
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			fail("reading from the children: %s", strerror(errno));
		if (len == 0)
			fail("%llu of %llu children ready, the others exited",
			     ready, n);
		for (i = 0; i < (unsigned long long)len; i++) {
			if (buf[i] == 'm')
				fail("a child's mmap of %llu bytes failed", size);
			if (buf[i] == 's')
				fail("a child's socket() failed");
		}
		ready += (unsigned long long)len;
	}
	t1 = now_ns();
	close(fds[0]);

	snprintf(extra, sizeof(extra), ",\"size\":%llu,\"socket\":%s,\"pid\":%ld",
		 size, sock ? "true" : "false", (long)getpid());
	print_result("sleepers", n, t1 - t0, extra);

	while (sigwait(&stop, &sig))
		;
	kill_children();
	return 0;
}
