// SPDX-License-Identifier: GPL-2.0
/*
 * stormer - storms of the events knmt follows, for the stress tests
 * (tests/vm/t-stress.sh, tests/vm/t-unload-load.sh).
 *
 *   stormer MODE [-t SECONDS] [-j WORKERS] [-r REGIONS] [-s SOCKETS]
 *                [-w MILLISECONDS] [-H]
 *
 * Runs MODE for SECONDS (default 5, a fraction allowed) with WORKERS
 * threads or processes (default 2), then prints one JSON line of what it
 * did: {"mode":..,"pid":N,"secs":elapsed,"workers":N, the counts of the
 * mode.., "errors":N}.  An operation that fails is counted in "errors"
 * (the first failure is told on stderr) and the storm goes on.  With -H
 * it then holds what it still has (the sockets left in CLOSE_WAIT by
 * accept) until SIGTERM or SIGINT, so that a test can compare knmt's
 * view of the process with the counts, and exits 0.  Exit status 2 on a
 * usage error, 1 when nothing at all could be done.
 *
 * Modes:
 *
 *   fork     every worker thread forks children one at a time and reaps
 *            them: a third exec /bin/true, a third exec this program
 *            ("stormer noop"), a third _exit(3) at once.  -w MS: each
 *            child sleeps MS first (many alive at once: -j 100 -w 500).
 *            Counts forks, execs (children that exec'ed and exited 0),
 *            exits (children reaped), and "last": [pid, wait status] of
 *            the last 16 children reaped, oldest first.
 *   threads  every worker creates batches of 8 short threads (each
 *            touches 64 KiB of its stack and mallocs and frees a little)
 *            and joins them.  Counts threads.
 *   mmap     WORKERS threads map, touch and unmap: small read-write maps
 *            (4..64 KiB); large ones (128 KiB..1 MiB, at least
 *            offheap_min_bytes by default: off-heap buffers), some made
 *            read-only and back (mprotect), some grown by mremap (may
 *            move); PROT_NONE reservations of 1 MiB partly committed by
 *            mprotect; MAP_STACK maps; first and every 32nd time a
 *            burst: 128 large maps side by side (one VMA) unmapped by a
 *            single munmap, 128 off-heap frees in one system call.  Every map is unmapped
 *            whole before the counts are printed.  Counts maps,
 *            maps_large (the off-heap ones), reservations, stacks,
 *            bursts, unmaps, mprotects, mremaps, pages (touched).
 *   sockets  WORKERS threads open batches of 1..32 sockets (tcp and udp
 *            on 127.0.0.1 and [::1], bound, some listening; unix stream
 *            socketpairs with a byte written, unix dgram) and close them.
 *            Counts opened (descriptors created: a socketpair is 2),
 *            closed, inet, inet6, unix.
 *   accept   WORKERS TCP listeners (127.0.0.1 and [::1] in turn), each
 *            with 2 acceptor threads and 4 client threads that connect,
 *            send one byte naming how the connection ends, and close:
 *            client first (the client ends in TIME_WAIT), server first
 *            (the server does), client first and the server never closes
 *            (CLOSE_WAIT, at most -s of them, default 16, at most 255,
 *            held until the process exits; their clients bind ports of
 *            their own, below the ephemeral range), client reset
 *            (SO_LINGER 0).  Counts opened (socket() calls: clients and
 *            listeners), connects, accepted, closed (every close this
 *            process made), close_wait_held, resets, time_wait
 *            (connections closed in an order that leaves one side in
 *            TIME_WAIT).
 *   hoard    keeps WORKERS children alive at once, a new one as soon as
 *            one ends: each maps REGIONS (-r, default 256) ranges that
 *            each get an origin record (off-heap buffers of 128 KiB,
 *            PROT_NONE reservations, MAP_STACK maps, in turn; one page of
 *            each touched), opens SOCKETS (-s, default 32) sockets (udp,
 *            tcp, unix, inet6, in turn), waits MS (-w, default 0) and
 *            exits without unmapping or closing anything.  Counts
 *            children, regions, sockets (created by all children),
 *            child_errors.
 *   noop     exits 0 (the fork storm's exec).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define LARGE_MIN	(128UL << 10)	/* offheap_min_bytes' default */
#define MAX_WORKERS	512

static struct {
	const char *mode;
	double secs;
	int workers;
	int regions;
	int sockets;
	int wait_ms;
	bool hold;
} opt = { .secs = 5, .workers = 2, .regions = 256, .sockets = -1 };

static double t_start, t_end;
static atomic_ulong n_errors;
static atomic_flag told = ATOMIC_FLAG_INIT;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool running(void)
{
	return now() < t_end;
}

/* Count a failed operation; tell the first one. */
static void failed(const char *what)
{
	int e = errno;

	atomic_fetch_add(&n_errors, 1);
	if (!atomic_flag_test_and_set(&told))
		fprintf(stderr, "stormer %s: %s: %s\n", opt.mode, what, strerror(e));
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* xorshift64: a per-thread sequence, the same for every run. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void raise_nofile(rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	if (rl.rlim_max < want) {
		struct rlimit r2 = { want, want };

		if (setrlimit(RLIMIT_NOFILE, &r2) == 0)
			return;
		want = rl.rlim_max;
	}
	rl.rlim_cur = want;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* The start of the JSON line, once the work is done. */
static void head(void)
{
	printf("{\"mode\":\"%s\",\"pid\":%d,\"workers\":%d,\"secs\":%.3f", opt.mode,
	       (int)getpid(), opt.workers, now() - t_start);
}

/* Run fn on opt.workers threads (at most MAX_WORKERS) and join them. */
static void run_workers(void *(*fn)(void *), int n)
{
	pthread_t t[MAX_WORKERS];
	int i, started = 0;

	for (i = 0; i < n && i < MAX_WORKERS; i++) {
		errno = pthread_create(&t[i], NULL, fn, (void *)(intptr_t)i);
		if (errno) {
			failed("pthread_create");
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

/* ---- fork ---------------------------------------------------------- */

#define LAST_N 16

static atomic_ulong f_forks, f_execs, f_exits;
static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { pid_t pid; int status; } last[LAST_N];
static unsigned long last_n;

static void *fork_worker(void *arg)
{
	unsigned long i = (unsigned long)(intptr_t)arg;

	while (running()) {
		int kind = i++ % 3, status;
		pid_t pid = fork();

		if (pid < 0) {
			failed("fork");
			sleep_ms(10);
			continue;
		}
		if (pid == 0) {
			if (opt.wait_ms)
				sleep_ms(opt.wait_ms);
			if (kind == 0)
				execl("/bin/true", "true", (char *)NULL);
			else if (kind == 1)
				execl("/proc/self/exe", "stormer", "noop", (char *)NULL);
			_exit(kind == 2 ? 3 : 127);
		}
		atomic_fetch_add(&f_forks, 1);
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				failed("waitpid");
				break;
			}
		}
		atomic_fetch_add(&f_exits, 1);
		if (kind < 2 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			atomic_fetch_add(&f_execs, 1);
		else if (!(kind == 2 && WIFEXITED(status) && WEXITSTATUS(status) == 3))
			atomic_fetch_add(&n_errors, 1);
		pthread_mutex_lock(&last_lock);
		last[last_n % LAST_N].pid = pid;
		last[last_n % LAST_N].status = status;
		last_n++;
		pthread_mutex_unlock(&last_lock);
	}
	return NULL;
}

static void mode_fork(void)
{
	unsigned long k, first;

	run_workers(fork_worker, opt.workers);
	head();
	printf(",\"forks\":%lu,\"execs\":%lu,\"exits\":%lu,\"last\":[",
	       atomic_load(&f_forks), atomic_load(&f_execs), atomic_load(&f_exits));
	first = last_n > LAST_N ? last_n - LAST_N : 0;
	for (k = first; k < last_n; k++)
		printf("%s[%d,%d]", k == first ? "" : ",", (int)last[k % LAST_N].pid,
		       last[k % LAST_N].status);
	printf("]");
}

/* ---- threads ------------------------------------------------------- */

static atomic_ulong t_threads;

static void *short_thread(void *arg)
{
	volatile char stack[64 << 10];
	char *p;
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(stack); i += PAGE)
		stack[i] = (char)i;
	p = malloc(4096);
	if (p) {
		memset(p, 1, 4096);
		free(p);
	}
	return NULL;
}

static void *thread_worker(void *arg)
{
	(void)arg;
	while (running()) {
		pthread_t t[8];
		int i, n = 0;

		for (i = 0; i < 8; i++) {
			errno = pthread_create(&t[n], NULL, short_thread, NULL);
			if (errno) {
				failed("pthread_create");
				break;
			}
			n++;
		}
		for (i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		atomic_fetch_add(&t_threads, n);
	}
	return NULL;
}

static void mode_threads(void)
{
	run_workers(thread_worker, opt.workers);
	head();
	printf(",\"threads\":%lu", atomic_load(&t_threads));
}

/* ---- mmap ---------------------------------------------------------- */

static atomic_ulong m_maps, m_large, m_reserv, m_stacks, m_bursts, m_unmaps,
		    m_mprot, m_mremaps, m_pages;

static void touch(char *p, size_t len, size_t step)
{
	size_t off;

	for (off = 0; off < len; off += step) {
		p[off] = 1;
		atomic_fetch_add(&m_pages, 1);
	}
}

static void *map(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED) {
		failed("mmap");
		return NULL;
	}
	atomic_fetch_add(&m_maps, 1);
	return p;
}

static void unmap(void *p, size_t len)
{
	if (munmap(p, len) < 0)
		failed("munmap");
	else
		atomic_fetch_add(&m_unmaps, 1);
}

static void protect(void *p, size_t len, int prot)
{
	if (mprotect(p, len, prot) < 0)
		failed("mprotect");
	else
		atomic_fetch_add(&m_mprot, 1);
}

#define BURST_N 128

/*
 * BURST_N off-heap buffers side by side, placed with MAP_FIXED_NOREPLACE
 * in a stretch of address space of the worker's own, far below where
 * mmap puts things (no other thread maps there), then one munmap for all.
 */
static void burst(unsigned int worker)
{
	char *base = (char *)(0x200000000000UL + ((unsigned long)worker << 30));
	size_t i, n = 0;

	for (i = 0; i < BURST_N; i++) {
		char *want = base + i * LARGE_MIN;
		char *p = mmap(want, LARGE_MIN, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p == MAP_FAILED) {
			failed("mmap MAP_FIXED_NOREPLACE");
			break;
		}
		atomic_fetch_add(&m_maps, 1);
		if (p != want) {		/* a kernel without it: a hint */
			unmap(p, LARGE_MIN);
			break;
		}
		atomic_fetch_add(&m_large, 1);
		touch(p, PAGE, PAGE);
		n++;
	}
	if (n)
		unmap(base, n * LARGE_MIN);
	atomic_fetch_add(&m_bursts, 1);
}

static void *mmap_worker(void *arg)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL * ((uintptr_t)arg + 1);
	unsigned long iter = 0;

	while (running()) {
		unsigned int kind = rnd(&s) % 8;
		size_t len;
		char *p;

		if (iter++ % 32 == 0) {
			burst((unsigned int)(uintptr_t)arg);
			continue;
		}
		if (kind < 3) {			/* small: anon */
			len = (1 + rnd(&s) % 16) * PAGE;
			p = map(len, PROT_READ | PROT_WRITE, 0);
			if (!p)
				continue;
			touch(p, len, PAGE);
			if (kind == 0)
				protect(p, len, PROT_READ);
			unmap(p, len);
		} else if (kind < 6) {		/* large: off-heap */
			len = LARGE_MIN + (rnd(&s) % 7) * LARGE_MIN;
			p = map(len, PROT_READ | PROT_WRITE, 0);
			if (!p)
				continue;
			atomic_fetch_add(&m_large, 1);
			touch(p, len, 4 * PAGE);
			if (kind == 4) {
				protect(p, PAGE, PROT_READ);
				protect(p, PAGE, PROT_READ | PROT_WRITE);
			} else if (kind == 5) {
				char *q = mremap(p, len, 2 * len, MREMAP_MAYMOVE);

				if (q == MAP_FAILED) {
					failed("mremap");
				} else {
					atomic_fetch_add(&m_mremaps, 1);
					p = q;
					touch(p + len, len, 4 * PAGE);
					len *= 2;
				}
			}
			unmap(p, len);
		} else if (kind == 6) {		/* reservation, committed */
			len = 1 << 20;
			p = map(len, PROT_NONE, MAP_NORESERVE);
			if (!p)
				continue;
			atomic_fetch_add(&m_reserv, 1);
			protect(p, len / 4, PROT_READ | PROT_WRITE);
			touch(p, len / 4, PAGE);
			unmap(p, len);
		} else {			/* a thread stack's kind of map */
			len = 64 << 10;
			p = map(len, PROT_READ | PROT_WRITE, MAP_STACK);
			if (!p)
				continue;
			atomic_fetch_add(&m_stacks, 1);
			touch(p, len, PAGE);
			unmap(p, len);
		}
	}
	return NULL;
}

static void mode_mmap(void)
{
	run_workers(mmap_worker, opt.workers);
	head();
	printf(",\"maps\":%lu,\"maps_large\":%lu,\"reservations\":%lu,\"stacks\":%lu,"
	       "\"bursts\":%lu,\"unmaps\":%lu,\"mprotects\":%lu,\"mremaps\":%lu,"
	       "\"pages\":%lu",
	       atomic_load(&m_maps), atomic_load(&m_large), atomic_load(&m_reserv),
	       atomic_load(&m_stacks), atomic_load(&m_bursts), atomic_load(&m_unmaps),
	       atomic_load(&m_mprot), atomic_load(&m_mremaps), atomic_load(&m_pages));
}

/* ---- sockets ------------------------------------------------------- */

static atomic_ulong s_opened, s_closed, s_inet, s_inet6, s_unix;

static void bind_lo(int fd, int family)
{
	if (family == AF_INET) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			failed("bind 127.0.0.1");
	} else {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };

		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			failed("bind [::1]");
	}
}

/* One socket (or a pair) of kind k into fds; returns how many. */
static int open_kind(unsigned int k, int *fds)
{
	static const int fam[] = { AF_INET, AF_INET, AF_INET6, AF_INET6, AF_INET, AF_INET6 };
	int sv[2], fd;

	if (k == 6) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			failed("socketpair");
			return 0;
		}
		if (write(sv[0], "x", 1) != 1)
			failed("write socketpair");
		fds[0] = sv[0];
		fds[1] = sv[1];
		atomic_fetch_add(&s_unix, 2);
		return 2;
	}
	if (k == 7) {
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			failed("socket unix");
			return 0;
		}
		fds[0] = fd;
		atomic_fetch_add(&s_unix, 1);
		return 1;
	}
	fd = socket(fam[k], (k == 1 || k == 3 ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		failed("socket inet");
		return 0;
	}
	atomic_fetch_add(fam[k] == AF_INET ? &s_inet : &s_inet6, 1);
	bind_lo(fd, fam[k]);
	if (k >= 4 && listen(fd, 8) < 0)
		failed("listen");
	fds[0] = fd;
	return 1;
}

static void *sock_worker(void *arg)
{
	uint64_t s = 0x2545f4914f6cdd1dULL * ((uintptr_t)arg + 1);
	int fds[64];

	while (running()) {
		int want = 1 + rnd(&s) % 32, n = 0, i;

		while (n < want)
			n += open_kind(rnd(&s) % 8, fds + n);
		atomic_fetch_add(&s_opened, n);
		for (i = 0; i < n; i++) {
			if (close(fds[i]) < 0)
				failed("close");
			else
				atomic_fetch_add(&s_closed, 1);
		}
	}
	return NULL;
}

static void mode_sockets(void)
{
	raise_nofile(4096);
	run_workers(sock_worker, opt.workers);
	head();
	printf(",\"opened\":%lu,\"closed\":%lu,\"inet\":%lu,\"inet6\":%lu,\"unix\":%lu",
	       atomic_load(&s_opened), atomic_load(&s_closed), atomic_load(&s_inet),
	       atomic_load(&s_inet6), atomic_load(&s_unix));
}

/* ---- accept -------------------------------------------------------- */

enum { END_CLIENT_FIRST, END_SERVER_FIRST, END_CLOSE_WAIT, END_RESET };

struct listener {
	int fd, family;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	uint64_t seed;
};

static atomic_ulong a_opened, a_connects, a_accepted, a_closed, a_held, a_resets,
		    a_time_wait;
static atomic_int a_cw_slots;		/* CLOSE_WAIT connections still allowed */
#define CW_PORT_BASE	10000
static atomic_bool a_stop;
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;
static int *held_fds;
static int held_n;

static void a_close(int fd)
{
	if (close(fd) < 0)
		failed("close");
	else
		atomic_fetch_add(&a_closed, 1);
}

/* Read until EOF (or an error: a reset); false on a timeout. */
static bool read_eof(int fd)
{
	char buf[16];
	ssize_t r;

	for (;;) {
		r = read(fd, buf, sizeof(buf));
		if (r == 0)
			return true;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				failed("read: timed out");
				return false;
			}
			return true;
		}
	}
}

static void set_timeout(int fd, int secs)
{
	struct timeval tv = { .tv_sec = secs };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void *acceptor(void *arg)
{
	struct listener *l = arg;

	for (;;) {
		char how = END_CLIENT_FIRST;
		int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (atomic_load(&a_stop))
				break;
			if (errno != EINTR && errno != ECONNABORTED)
				failed("accept");
			continue;
		}
		atomic_fetch_add(&a_accepted, 1);
		set_timeout(fd, 10);
		if (read(fd, &how, 1) != 1)
			how = END_RESET;
		switch (how) {
		case END_SERVER_FIRST:
			a_close(fd);
			break;
		case END_CLOSE_WAIT:
			if (read_eof(fd)) {
				pthread_mutex_lock(&held_lock);
				held_fds[held_n++] = fd;
				pthread_mutex_unlock(&held_lock);
				atomic_fetch_add(&a_held, 1);
				break;
			}
			a_close(fd);
			break;
		default:
			read_eof(fd);
			a_close(fd);
			break;
		}
	}
	return NULL;
}

/*
 * A connection the server will keep in CLOSE_WAIT comes from a port of
 * its own, below the ephemeral range: once the client's end is gone
 * (FIN_WAIT_2 times out after a minute), no new connection may come from
 * the same address and port, which the held socket would take for its
 * peer's and answer with a reset.
 */
static bool bind_cw_port(int fd, int family, int slot)
{
	int port = CW_PORT_BASE + (int)(getpid() % 64) * 256 + slot, one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return true;
	} else {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port),
					  .sin6_addr = IN6ADDR_LOOPBACK_INIT };

		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return true;
	}
	failed("bind a CLOSE_WAIT client's port");
	return false;
}

static void *client(void *arg)
{
	struct listener *l = arg;
	uint64_t s = l->seed ^ (uint64_t)(uintptr_t)&s;

	while (running()) {
		char how = (char)(rnd(&s) % 4);
		int fd = socket(l->family, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			failed("socket");
			sleep_ms(10);
			continue;
		}
		atomic_fetch_add(&a_opened, 1);
		set_timeout(fd, 10);
		if (how == END_CLOSE_WAIT) {
			int slot = atomic_fetch_sub(&a_cw_slots, 1);

			if (slot <= 0 || !bind_cw_port(fd, l->family, slot))
				how = END_CLIENT_FIRST;
		}
		if (connect(fd, (struct sockaddr *)&l->addr, l->addrlen) < 0) {
			failed("connect");
			a_close(fd);
			continue;
		}
		atomic_fetch_add(&a_connects, 1);
		if (write(fd, &how, 1) != 1)
			failed("write");
		switch (how) {
		case END_SERVER_FIRST:
			read_eof(fd);
			a_close(fd);
			atomic_fetch_add(&a_time_wait, 1);
			break;
		case END_RESET: {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };

			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			a_close(fd);
			atomic_fetch_add(&a_resets, 1);
			break;
		}
		default:
			a_close(fd);
			if (how == END_CLIENT_FIRST)
				atomic_fetch_add(&a_time_wait, 1);
			break;
		}
	}
	return NULL;
}

static void mode_accept(void)
{
	int nl = opt.workers, i, cw = opt.sockets < 0 ? 16 : opt.sockets > 255 ? 255 : opt.sockets;
	struct listener *ls = calloc(nl, sizeof(*ls));
	pthread_t *acc = calloc(2 * nl, sizeof(pthread_t));
	pthread_t *cli = calloc(4 * nl, sizeof(pthread_t));
	int n_acc = 0, n_cli = 0;

	held_fds = calloc(cw + 1, sizeof(int));
	if (!ls || !acc || !cli || !held_fds) {
		perror("stormer: calloc");
		exit(1);
	}
	atomic_store(&a_cw_slots, cw);
	raise_nofile(4096);
	for (i = 0; i < nl; i++) {
		struct listener *l = &ls[i];
		int one = 1;

		l->family = i % 2 ? AF_INET6 : AF_INET;
		l->seed = 0x9e3779b97f4a7c15ULL * (i + 1);
		l->fd = socket(l->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (l->fd < 0) {
			perror("stormer accept: socket");
			exit(1);
		}
		atomic_fetch_add(&a_opened, 1);
		setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		bind_lo(l->fd, l->family);
		l->addrlen = sizeof(l->addr);
		if (listen(l->fd, 1024) < 0 ||
		    getsockname(l->fd, (struct sockaddr *)&l->addr, &l->addrlen) < 0) {
			perror("stormer accept: listen");
			exit(1);
		}
	}
	for (i = 0; i < nl; i++) {
		if (!pthread_create(&acc[n_acc], NULL, acceptor, &ls[i]))
			n_acc++;
		if (!pthread_create(&acc[n_acc], NULL, acceptor, &ls[i]))
			n_acc++;
	}
	for (i = 0; i < 4 * nl; i++)
		if (!pthread_create(&cli[n_cli], NULL, client, &ls[i / 4]))
			n_cli++;
	for (i = 0; i < n_cli; i++)
		pthread_join(cli[i], NULL);
	/* Clients done: wake the acceptors (accept fails once shut down). */
	atomic_store(&a_stop, true);
	for (i = 0; i < nl; i++)
		shutdown(ls[i].fd, SHUT_RDWR);
	for (i = 0; i < n_acc; i++)
		pthread_join(acc[i], NULL);
	for (i = 0; i < nl; i++)
		a_close(ls[i].fd);
	head();
	printf(",\"opened\":%lu,\"connects\":%lu,\"accepted\":%lu,\"closed\":%lu,"
	       "\"close_wait_held\":%lu,\"resets\":%lu,\"time_wait\":%lu",
	       atomic_load(&a_opened), atomic_load(&a_connects), atomic_load(&a_accepted),
	       atomic_load(&a_closed), atomic_load(&a_held), atomic_load(&a_resets),
	       atomic_load(&a_time_wait));
	free(cli);
	free(acc);
	free(ls);
}

/* ---- hoard --------------------------------------------------------- */

struct hoard_counts {
	atomic_ulong regions, sockets, errors;
};

static void hoard_child(struct hoard_counts *c)
{
	int i, fds[2];

	for (i = 0; i < opt.regions; i++) {
		static const int kinds[][2] = {
			{ PROT_READ | PROT_WRITE, 0 },		/* off-heap */
			{ PROT_NONE, MAP_NORESERVE },		/* reservation */
			{ PROT_READ | PROT_WRITE, MAP_STACK },	/* stack */
		};
		const int *k = kinds[i % 3];
		size_t len = i % 3 == 0 ? LARGE_MIN : 4 * PAGE;
		char *p = mmap(NULL, len, k[0], MAP_PRIVATE | MAP_ANONYMOUS | k[1], -1, 0);

		if (p == MAP_FAILED) {
			atomic_fetch_add(&c->errors, 1);
			continue;
		}
		if (k[0] != PROT_NONE)
			p[0] = 1;
		atomic_fetch_add(&c->regions, 1);
	}
	for (i = 0; i < opt.sockets;) {
		unsigned int k = i % 5;
		int fd;

		if (k == 2) {
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0) {
				atomic_fetch_add(&c->errors, 1);
				i++;
				continue;
			}
			atomic_fetch_add(&c->sockets, 2);
			i += 2;
			continue;
		}
		fd = socket(k == 3 || k == 4 ? AF_INET6 : AF_INET,
			    k == 0 || k == 3 ? SOCK_DGRAM : SOCK_STREAM, 0);
		if (fd < 0)
			atomic_fetch_add(&c->errors, 1);
		else
			atomic_fetch_add(&c->sockets, 1);
		i++;
	}
	if (opt.wait_ms)
		sleep_ms(opt.wait_ms);
	_exit(0);
}

static void mode_hoard(void)
{
	struct hoard_counts *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long children = 0;
	int alive = 0, status;

	if (c == MAP_FAILED) {
		perror("stormer: mmap");
		exit(1);
	}
	if (opt.sockets < 0)
		opt.sockets = 32;
	raise_nofile(opt.sockets + 64);
	while (running() || alive) {
		while (running() && alive < opt.workers) {
			pid_t pid = fork();

			if (pid < 0) {
				failed("fork");
				break;
			}
			if (pid == 0)
				hoard_child(c);
			children++;
			alive++;
		}
		if (!alive) {
			sleep_ms(10);
			continue;
		}
		if (waitpid(-1, &status, 0) < 0) {
			if (errno != EINTR)
				failed("waitpid");
			continue;
		}
		alive--;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			atomic_fetch_add(&c->errors, 1);
	}
	head();
	printf(",\"children\":%lu,\"regions\":%lu,\"sockets\":%lu,\"child_errors\":%lu",
	       children, atomic_load(&c->regions), atomic_load(&c->sockets),
	       atomic_load(&c->errors));
}

/* ---- main ---------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: stormer fork|threads|mmap|sockets|accept|hoard|noop [-t SECONDS]\n"
		"               [-j WORKERS] [-r REGIONS] [-s SOCKETS] [-w MS] [-H]\n");
	exit(2);
}

static int int_arg(const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		usage();
	return (int)v;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} modes[] = {
		{ "fork", mode_fork }, { "threads", mode_threads },
		{ "mmap", mode_mmap }, { "sockets", mode_sockets },
		{ "accept", mode_accept }, { "hoard", mode_hoard },
	};
	void (*run)(void) = NULL;
	size_t i;
	int c;

	if (argc < 2)
		usage();
	opt.mode = argv[1];
	if (!strcmp(opt.mode, "noop"))
		return 0;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(opt.mode, modes[i].name))
			run = modes[i].run;
	if (!run)
		usage();
	optind = 2;
	while ((c = getopt(argc, argv, "t:j:r:s:w:H")) != -1) {
		switch (c) {
		case 't': {
			char *end;

			opt.secs = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || opt.secs < 0 || opt.secs > 86400)
				usage();
			break;
		}
		case 'j':
			opt.workers = int_arg(optarg, 1, MAX_WORKERS);
			break;
		case 'r':
			opt.regions = int_arg(optarg, 0, 1 << 20);
			break;
		case 's':
			opt.sockets = int_arg(optarg, 0, 1 << 20);
			break;
		case 'w':
			opt.wait_ms = int_arg(optarg, 0, 3600 * 1000);
			break;
		case 'H':
			opt.hold = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	if (opt.hold) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	t_start = now();
	t_end = t_start + opt.secs;
	run();
	printf(",\"errors\":%lu}\n", atomic_load(&n_errors));
	fflush(stdout);
	if (opt.hold) {
		sigset_t set;
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigwait(&set, &sig);
	}
	return 0;
}
