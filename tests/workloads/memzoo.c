// SPDX-License-Identifier: GPL-2.0
/*
 * memzoo - a process that owns one of every kind of mapping knmt
 * classifies, with a known number of pages written in each, for the
 * accuracy tests (tests/vm/t-acc-memzoo.sh).
 *
 *   memzoo [--file PATH] [--threads N]
 *
 * Protocol, on stdout (one JSON object a line) and stdin (lines):
 *
 *   1. {"stage":"start","pid":N}: printed first thing in main(), before
 *      any mapping of its own; then memzoo waits for a line on stdin.
 *      (The test reads the fault counters here: what the process did
 *      between exec and main is in both knmt's and the kernel's counts.)
 *   2. It builds the zoo, then prints the manifest:
 *      {"stage":"manifest","pid":N,"ranges":[...],"offheap":{...},...}
 *      and waits for another line on stdin.
 *   3. Any line, EOF on stdin, SIGTERM or SIGINT: it releases what needs
 *      releasing (threads joined, the /dev/shm file unlinked, the SysV
 *      segment is already marked for removal) and exits 0.
 *
 * Every range of the manifest is one it created (or glibc created for it:
 * thread stacks, per-thread malloc arenas, mmap'ed malloc chunks, the brk
 * heap) and still holds:
 *
 *   {"name":..,"start":"0x..","end":"0x..","category":..,
 *    "touched_bytes":N,"exact":true|false}
 *
 * touched_bytes is what memzoo wrote (or populated) in the range, page by
 * page.  "exact": no one else writes there and nothing can make more of
 * it resident, so its resident bytes must be exactly touched_bytes; that
 * needs transparent huge pages not "always" (a first touch could then
 * bring in a whole 2 MiB page): the test sets "madvise".  The thp and
 * zero-page ranges are exact only with the settings they need (recorded
 * in the manifest as thp_enabled and thp_use_zero_page).
 *
 * "offheap" holds what memzoo expects of knmt's off-heap statistics:
 * live_count (buffers with any part still mapped, a buffer with a hole
 * counts once, and so does one with a MAP_FIXED mapping over part of it),
 * live_bytes, allocated_count / allocated_bytes (every read-write
 * anonymous mapping of at least 128 KiB created in one step; an mremap
 * growth allocates the bytes it adds), freed_count (buffers entirely
 * unmapped) and freed_bytes (every off-heap byte unmapped, by partial
 * unmaps too; a MAP_FIXED mapping inside a buffer frees nothing).
 *
 * The regular file it maps is PATH (default: memzoo.dat next to the
 * executable, written by tests/workloads/Makefile): it must not be on
 * tmpfs, or it would be shmem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#define KiB (1024UL)
#define MiB (1024UL * KiB)
#define THP_SIZE (2 * MiB)
/* glibc's HEAP_MAX_SIZE on 64-bit: a per-thread arena heap is one aligned 64 MiB reservation. */
#define ARENA_HEAP (64 * MiB)
#define RUN_BUFS 320

static size_t pg;

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	fputs("memzoo: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
	exit(2);
}

/* --- output without stdio buffers (no malloc before the zoo is built) -- */

static char out[256 * 1024];
static size_t outlen;

static void emit(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + outlen, sizeof(out) - outlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(out) - outlen)
		die("manifest too long");
	outlen += n;
}

static void flush_line(void)
{
	size_t off = 0;

	emit("\n");
	while (off < outlen) {
		ssize_t w = write(1, out + off, outlen - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write stdout");
		off += w;
	}
	outlen = 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Wait for a line (or EOF, or a signal) on stdin. */
static void wait_line(void)
{
	char c;

	while (!stop) {
		ssize_t r = read(0, &c, 1);

		if (r == 0 || (r == 1 && c == '\n'))
			return;
		if (r < 0 && errno != EINTR)
			return;
	}
}

/* --- the manifest ------------------------------------------------------- */

struct range {
	const char *name;
	uintptr_t start, end;
	const char *cat;
	size_t touched;
	bool exact;
};

#define MAX_RANGES 256
static struct range ranges[MAX_RANGES];
static unsigned int nranges;

static void add_range(const char *name, const void *start, size_t len,
		      const char *cat, size_t touched, bool exact)
{
	if (nranges == MAX_RANGES)
		die("too many ranges");
	ranges[nranges++] = (struct range){
		.name = name,
		.start = (uintptr_t)start,
		.end = (uintptr_t)start + len,
		.cat = cat,
		.touched = touched,
		.exact = exact,
	};
}

/* What knmt's off-heap statistics should say. */
static struct {
	unsigned long live_count, live_bytes;
	unsigned long alloc_count, alloc_bytes;
	unsigned long freed_count, freed_bytes;
} oh;

static void oh_alloc(size_t len)
{
	oh.live_count++;
	oh.live_bytes += len;
	oh.alloc_count++;
	oh.alloc_bytes += len;
}

/* Part of a buffer unmapped; @whole: it was all that was left of it. */
static void oh_free(size_t len, bool whole)
{
	oh.live_bytes -= len;
	oh.freed_bytes += len;
	if (whole) {
		oh.live_count--;
		oh.freed_count++;
	}
}

/* --- helpers --------------------------------------------------------- */

static void *map(void *addr, size_t len, int prot, int flags, int fd,
		 const char *what)
{
	void *p = mmap(addr, len, prot, flags, fd, 0);

	if (p == MAP_FAILED)
		die("mmap %s", what);
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && p != addr)
		die("mmap %s: got %p instead of %p", what, p, addr);
	return p;
}

static void *anon(size_t len, int prot, int extra, const char *what)
{
	return map(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1,
		   what);
}

/* An address where @len bytes are free right now (single-threaded). */
static void *free_hole(size_t len)
{
	void *p = anon(len, PROT_NONE, 0, "hole");

	if (munmap(p, len))
		die("munmap hole");
	return p;
}

/* Write one byte in each of @npages pages from @p; returns the bytes. */
static size_t touch(void *p, size_t npages)
{
	volatile char *c = p;
	size_t i;

	for (i = 0; i < npages; i++)
		c[i * pg] = (char)(i | 1);
	return npages * pg;
}

/* Read one byte in each of @npages pages, every @step pages. */
static unsigned long peek(const void *p, size_t npages, size_t step)
{
	const volatile char *c = p;
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < npages; i += step)
		sum += c[i * pg];
	return sum;
}

static void mprot(void *p, size_t len, int prot, const char *what)
{
	if (mprotect(p, len, prot))
		die("mprotect %s", what);
}

static void unmap(void *p, size_t len, const char *what)
{
	if (munmap(p, len))
		die("munmap %s", what);
}

static int read_sysfs_int(const char *path, int dflt)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return dflt;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return dflt;
	buf[n] = 0;
	return atoi(buf);
}

/*
 * Allow huge pages on [p, p + len).  A kernel built without transparent
 * huge pages (Debian's PREEMPT_RT ones) refuses with EINVAL and has no
 * /sys/kernel/mm/transparent_hugepage: the range stays in small pages.
 */
static void thp_advise(void *p, size_t len)
{
	if (!madvise(p, len, MADV_HUGEPAGE))
		return;
	if (errno == EINVAL &&
	    access("/sys/kernel/mm/transparent_hugepage", F_OK) && errno == ENOENT)
		return;
	die("madvise HUGEPAGE");
}

/* The [bracketed] word of /sys/kernel/mm/transparent_hugepage/enabled. */
static const char *thp_enabled(void)
{
	static char mode[16] = "unknown";
	char buf[128], *a, *b;
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return mode;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return mode;
	buf[n] = 0;
	a = strchr(buf, '[');
	b = a ? strchr(a, ']') : NULL;
	if (a && b && b - a - 1 < (long)sizeof(mode)) {
		memcpy(mode, a + 1, b - a - 1);
		mode[b - a - 1] = 0;
	}
	return mode;
}

/* Field @n (1-based) of /proc/self/stat, as a number. */
static unsigned long self_stat(int n)
{
	char buf[4096], *p;
	int fd = open("/proc/self/stat", O_RDONLY), i;
	ssize_t len;

	if (fd < 0)
		die("open /proc/self/stat");
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		die("read /proc/self/stat");
	buf[len] = 0;
	p = strrchr(buf, ')');	/* field 2, comm, may hold spaces */
	if (!p)
		die("bad /proc/self/stat");
	p += 2;			/* field 3 */
	for (i = 3; i < n; i++) {
		p = strchr(p, ' ');
		if (!p)
			die("short /proc/self/stat");
		p++;
	}
	return strtoul(p, NULL, 10);
}

/* Is [a, b) inside one VMA of /proc/self/maps? */
static bool in_one_vma(uintptr_t a, uintptr_t b)
{
	static char buf[1 << 20];
	size_t len = 0;
	ssize_t n;
	char *line;
	int fd = open("/proc/self/maps", O_RDONLY);

	if (fd < 0)
		die("open /proc/self/maps");
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	for (line = buf; line && *line; line = strchr(line, '\n')) {
		unsigned long s, e;

		if (*line == '\n')
			line++;
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s <= a && e >= b)
			return true;
	}
	return false;
}

/* --- threads --------------------------------------------------------- */

struct worker {
	pthread_t th;
	uintptr_t stack_lo, stack_hi;	/* the whole MAP_STACK block */
	uintptr_t arena;		/* its malloc heap, or 0 (main arena) */
	void *buf;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static unsigned int ready;
static bool release;

#define WORKER_STACK_TOUCH (32 * KiB)
#define WORKER_MALLOC (64 * KiB)	/* below the mmap threshold: from its arena */

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	volatile char local[WORKER_STACK_TOUCH];
	pthread_attr_t a;
	size_t size, guard;
	void *lo;
	size_t i;

	for (i = 0; i < sizeof(local); i += pg)
		local[i] = 1;
	if (pthread_getattr_np(pthread_self(), &a) ||
	    pthread_attr_getstack(&a, &lo, &size) ||
	    pthread_attr_getguardsize(&a, &guard))
		die("pthread_getattr_np");
	pthread_attr_destroy(&a);
	/* glibc maps guard + stack as one MAP_STACK block, guard lowest. */
	w->stack_lo = (uintptr_t)lo - guard;
	w->stack_hi = (uintptr_t)lo + size;
	w->buf = malloc(WORKER_MALLOC);
	if (!w->buf)
		die("malloc in a thread");
	memset(w->buf, 0x5a, WORKER_MALLOC);

	pthread_mutex_lock(&lock);
	ready++;
	pthread_cond_broadcast(&cond);
	while (!release)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	free(w->buf);
	return (void *)(uintptr_t)local[0];
}

/* --- main ------------------------------------------------------------ */

static const char *default_file(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 16);
	char *slash;

	if (n <= 0)
		die("readlink /proc/self/exe");
	buf[n] = 0;
	slash = strrchr(buf, '/');
	strcpy(slash ? slash + 1 : buf, "memzoo.dat");
	return buf;
}

int main(int argc, char **argv)
{
	static char pathbuf[PATH_MAX];
	static struct worker workers[64];
	const char *file = NULL;
	unsigned int nthreads = 8, i;
	unsigned long minflt_start = self_stat(10);
	struct sigaction sa;
	char shmname[64];
	int fd, shmid, use_zero_page;
	const char *thp;
	bool merged;
	char *p, *q;

	pg = (size_t)sysconf(_SC_PAGESIZE);
	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--file") && i + 1 < (unsigned int)argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "--threads") && i + 1 < (unsigned int)argc)
			nthreads = (unsigned int)atoi(argv[++i]);
		else
			die("usage: memzoo [--file PATH] [--threads N]");
	}
	if (nthreads < 1 || nthreads > 64)
		die("--threads: 1..64");
	if (!file)
		file = default_file(pathbuf, sizeof(pathbuf));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: read() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	emit("{\"stage\":\"start\",\"pid\":%d,\"minflt\":%lu}", getpid(),
	     minflt_start);
	flush_line();
	wait_line();
	if (stop)
		return 0;

	thp = thp_enabled();
	use_zero_page = read_sysfs_int("/sys/kernel/mm/transparent_hugepage/use_zero_page", 0);

	/* Private anonymous, read-write in one step. */
	p = anon(64 * KiB, PROT_READ | PROT_WRITE, 0, "anon_small");
	add_range("anon_small", p, 64 * KiB, "anon", touch(p, 16), true);

	p = anon(128 * KiB - pg, PROT_READ | PROT_WRITE, 0, "anon_below_min");
	add_range("anon_below_min", p, 128 * KiB - pg, "anon",
		  touch(p, 31), true);

	p = anon(128 * KiB, PROT_READ | PROT_WRITE, 0, "offheap_min");
	oh_alloc(128 * KiB);
	add_range("offheap_min", p, 128 * KiB, "offheap", touch(p, 32), true);

	p = anon(1 * MiB, PROT_READ | PROT_WRITE, 0, "offheap_1m");
	oh_alloc(1 * MiB);
	add_range("offheap_1m", p, 1 * MiB, "offheap", touch(p, 256), true);

	/* Read-only first, made writable later: not one step, so anon. */
	p = anon(256 * KiB, PROT_READ, 0, "ro_then_rw");
	mprot(p, 256 * KiB, PROT_READ | PROT_WRITE, "ro_then_rw");
	add_range("ro_then_rw", p, 256 * KiB, "anon", touch(p, 64), true);

	/* Populated by the kernel at mmap time (faults through GUP). */
	p = anon(256 * KiB, PROT_READ | PROT_WRITE, MAP_POPULATE, "populated");
	oh_alloc(256 * KiB);
	add_range("offheap_populated", p, 256 * KiB, "offheap", 256 * KiB, true);

	/* Read, never written: the shared zero page, not resident. */
	p = anon(256 * KiB, PROT_READ | PROT_WRITE, 0, "zero4k");
	oh_alloc(256 * KiB);
	(void)peek(p, 16, 1);
	add_range("offheap_zero_read", p, 256 * KiB, "offheap", 0, true);

	/* Written, then half given back with MADV_DONTNEED. */
	p = anon(1 * MiB, PROT_READ | PROT_WRITE, 0, "dontneed");
	oh_alloc(1 * MiB);
	touch(p, 256);
	if (madvise(p + 512 * KiB, 512 * KiB, MADV_DONTNEED))
		die("madvise DONTNEED");
	add_range("offheap_dontneed", p, 1 * MiB, "offheap", 512 * KiB, true);

	/* mprotect splits one buffer into four VMAs; it stays one buffer. */
	p = anon(1 * MiB, PROT_READ | PROT_WRITE, 0, "mprotect_split");
	oh_alloc(1 * MiB);
	touch(p, 256);
	mprot(p + 256 * KiB, 256 * KiB, PROT_READ, "split ro");
	mprot(p + 768 * KiB, pg, PROT_NONE, "split none");
	add_range("offheap_mprotect_split", p, 1 * MiB, "offheap", 1 * MiB, true);

	/* Reserve, then commit inside: MAP_FIXED maps and mprotect. */
	p = anon(16 * MiB, PROT_NONE, 0, "arena reservation");
	{
		size_t t = 0;

		map(p, 2 * MiB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, "arena commit 1");
		t += touch(p, 512);
		mprot(p + 4 * MiB, 1 * MiB, PROT_READ | PROT_WRITE, "arena commit 2");
		t += touch(p + 4 * MiB, 256);
		map(p + 8 * MiB, 1 * MiB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, "arena commit 3");
		t += touch(p + 8 * MiB, 128);
		add_range("arena_reserved", p, 16 * MiB, "arena", t, true);
	}

	/* MAP_NORESERVE: a reservation even though read-write. */
	p = anon(4 * MiB, PROT_READ | PROT_WRITE, MAP_NORESERVE, "noreserve");
	add_range("arena_noreserve", p, 4 * MiB, "arena", touch(p, 256), true);

	/* MAP_STACK, as glibc maps thread stacks. */
	p = anon(256 * KiB, PROT_READ | PROT_WRITE, MAP_STACK, "map_stack");
	add_range("stack_map_stack", p, 256 * KiB, "stack", touch(p, 8), true);

	/* Shared memory of every kind. */
	p = map(NULL, 1 * MiB, PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, "shared anon");
	add_range("shmem_shared_anon", p, 1 * MiB, "shmem", touch(p, 64), true);

	fd = memfd_create("memzoo", 0);
	if (fd < 0 || ftruncate(fd, 1 * MiB))
		die("memfd");
	p = map(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, "memfd");
	add_range("shmem_memfd", p, 1 * MiB, "shmem", touch(p, 32), true);
	close(fd);

	shmid = shmget(IPC_PRIVATE, 1 * MiB, IPC_CREAT | 0600);
	if (shmid < 0)
		die("shmget");
	p = shmat(shmid, NULL, 0);
	if (p == (void *)-1)
		die("shmat");
	shmctl(shmid, IPC_RMID, NULL);	/* gone with the last detach */
	add_range("shmem_sysv", p, 1 * MiB, "shmem", touch(p, 16), true);

	snprintf(shmname, sizeof(shmname), "/dev/shm/memzoo.%d", getpid());
	fd = open(shmname, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, 512 * KiB))
		die("%s", shmname);
	p = map(NULL, 512 * KiB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, "/dev/shm");
	add_range("shmem_dev_shm", p, 512 * KiB, "shmem", touch(p, 8), true);
	close(fd);

	/* A regular file: read-only, and private-writable (copy on write). */
	fd = open(file, O_RDONLY);
	if (fd < 0)
		die("open %s", file);
	{
		struct stat st;

		if (fstat(fd, &st) || st.st_size < (off_t)(1 * MiB))
			die("%s must be at least 1 MiB", file);
	}
	p = map(NULL, 1 * MiB, PROT_READ, MAP_PRIVATE, fd, "file ro");
	(void)peek(p, 256, 4);	/* 64 pages read; fault-around may map more */
	add_range("file_ro", p, 1 * MiB, "file", 0, false);
	p = map(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, "file rw");
	add_range("file_private_rw", p, 1 * MiB, "file", touch(p, 16), false);
	close(fd);

	/* Partial unmaps of three buffers: head, tail, middle. */
	p = anon(1 * MiB, PROT_READ | PROT_WRITE, 0, "unmap_head");
	oh_alloc(1 * MiB);
	touch(p, 256);
	unmap(p, 256 * KiB, "head");
	oh_free(256 * KiB, false);
	add_range("offheap_unmap_head", p + 256 * KiB, 768 * KiB, "offheap",
		  768 * KiB, true);

	p = anon(1 * MiB, PROT_READ | PROT_WRITE, 0, "unmap_tail");
	oh_alloc(1 * MiB);
	touch(p, 256);
	unmap(p + 768 * KiB, 256 * KiB, "tail");
	oh_free(256 * KiB, false);
	add_range("offheap_unmap_tail", p, 768 * KiB, "offheap", 768 * KiB, true);

	p = anon(1 * MiB, PROT_READ | PROT_WRITE, 0, "unmap_middle");
	oh_alloc(1 * MiB);
	touch(p, 256);
	unmap(p + 384 * KiB, 256 * KiB, "middle");
	oh_free(256 * KiB, false);
	add_range("offheap_unmap_middle_lo", p, 384 * KiB, "offheap",
		  384 * KiB, true);
	add_range("offheap_unmap_middle_hi", p + 640 * KiB, 384 * KiB,
		  "offheap", 384 * KiB, true);

	/*
	 * A new mapping with MAP_FIXED over the head of a buffer: the kernel
	 * replaces those 16 KiB (their content is gone), the range stays one
	 * off-heap buffer of 1 MiB.
	 */
	p = anon(1 * MiB, PROT_READ | PROT_WRITE, 0, "fixed_head");
	oh_alloc(1 * MiB);
	touch(p, 256);
	map(p, 16 * KiB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, "fixed over the head");
	touch(p, 2);
	add_range("offheap_fixed_head", p, 1 * MiB, "offheap",
		  (256 - 4 + 2) * pg, true);

	/* A whole buffer unmapped: freed. */
	p = anon(512 * KiB, PROT_READ | PROT_WRITE, 0, "freed");
	oh_alloc(512 * KiB);
	touch(p, 128);
	unmap(p, 512 * KiB, "freed");
	oh_free(512 * KiB, true);

	/* mremap: grow in place (the hole above is free), then a move. */
	p = free_hole(1 * MiB);
	map(p, 512 * KiB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, "grow");
	oh_alloc(512 * KiB);
	touch(p, 128);
	q = mremap(p, 512 * KiB, 1 * MiB, 0);
	if (q != p)
		die("mremap grow in place");
	oh.live_bytes += 512 * KiB;
	oh.alloc_bytes += 512 * KiB;
	add_range("offheap_mremap_grown", p, 1 * MiB, "offheap",
		  touch(p, 256), true);

	p = anon(256 * KiB, PROT_READ | PROT_WRITE, 0, "move");
	oh_alloc(256 * KiB);
	touch(p, 64);
	q = free_hole(256 * KiB);
	if (mremap(p, 256 * KiB, 256 * KiB, MREMAP_MAYMOVE | MREMAP_FIXED, q) != q)
		die("mremap move");
	add_range("offheap_mremap_moved", q, 256 * KiB, "offheap",
		  256 * KiB, true);

	/*
	 * Two buffers side by side: the kernel merges them into one VMA.  In
	 * the middle of a 3 MiB hole, so that no neighbour joins in.
	 */
	p = (char *)free_hole(3 * MiB) + 1 * MiB;
	map(p, 512 * KiB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, "pair 1");
	map(p + 512 * KiB, 512 * KiB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, "pair 2");
	oh_alloc(512 * KiB);
	oh_alloc(512 * KiB);
	add_range("offheap_pair_lo", p, 512 * KiB, "offheap", touch(p, 64), true);
	add_range("offheap_pair_hi", p + 512 * KiB, 512 * KiB, "offheap",
		  touch(p + 512 * KiB, 32), true);
	merged = in_one_vma((uintptr_t)p, (uintptr_t)p + 1 * MiB);

	/*
	 * A run of 320 buffers of 128 KiB side by side: one VMA of 320
	 * regions, more than one netlink message of a region dump holds, so
	 * the dump must resume in the middle of a VMA.
	 */
	p = free_hole(RUN_BUFS * 128 * KiB + 2 * MiB);
	p += 1 * MiB;
	for (i = 0; i < RUN_BUFS; i++) {
		map(p + i * 128 * KiB, 128 * KiB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, "run");
		oh_alloc(128 * KiB);
		touch(p + i * 128 * KiB, 1);
	}
	add_range("offheap_run", p, RUN_BUFS * 128 * KiB, "offheap",
		  RUN_BUFS * pg, true);

	/* Transparent huge pages: 8 MiB, 2 MiB aligned, written. */
	p = anon(10 * MiB, PROT_READ | PROT_WRITE, 0, "thp");
	oh_alloc(10 * MiB);
	q = (char *)(((uintptr_t)p + THP_SIZE - 1) & ~(THP_SIZE - 1));
	if (q > p) {
		unmap(p, q - p, "thp head");
		oh_free(q - p, false);
	}
	if (p + 10 * MiB > q + 8 * MiB) {
		unmap(q + 8 * MiB, p + 10 * MiB - (q + 8 * MiB), "thp tail");
		oh_free(p + 10 * MiB - (q + 8 * MiB), false);
	}
	thp_advise(q, 8 * MiB);
	add_range("offheap_thp", q, 8 * MiB, "offheap", touch(q, 8 * MiB / pg),
		  true);

	/* 4 MiB, 2 MiB aligned, huge pages allowed, only read: huge zero page. */
	p = anon(6 * MiB, PROT_READ | PROT_WRITE, 0, "thp zero");
	oh_alloc(6 * MiB);
	q = (char *)(((uintptr_t)p + THP_SIZE - 1) & ~(THP_SIZE - 1));
	if (q > p) {
		unmap(p, q - p, "thp zero head");
		oh_free(q - p, false);
	}
	if (p + 6 * MiB > q + 4 * MiB) {
		unmap(q + 4 * MiB, p + 6 * MiB - (q + 4 * MiB), "thp zero tail");
		oh_free(p + 6 * MiB - (q + 4 * MiB), false);
	}
	thp_advise(q, 4 * MiB);
	(void)peek(q, 4 * MiB / pg, THP_SIZE / pg);
	add_range("offheap_thp_zero_read", q, 4 * MiB, "offheap", 0,
		  use_zero_page == 1 && strcmp(thp, "never"));

	/* glibc malloc: big requests are their own mmap (an off-heap buffer). */
	p = malloc(2 * MiB);
	if (!p)
		die("malloc");
	{
		/* An mmap'ed chunk: a 16-byte header, the mapping ends at the page. */
		size_t len = malloc_usable_size(p) + 2 * sizeof(size_t);

		oh_alloc(len);
		add_range("offheap_malloc", p - 2 * sizeof(size_t), len,
			  "offheap", touch(p - 2 * sizeof(size_t), len / pg), true);
	}
	q = malloc(1 * MiB);
	if (!q)
		die("malloc");
	memset(q, 1, 1 * MiB);
	oh_alloc(malloc_usable_size(q) + 2 * sizeof(size_t));
	oh_free(malloc_usable_size(q) + 2 * sizeof(size_t), true);
	free(q);	/* munmap (and glibc raises its mmap threshold) */

	/* brk: grow by 4 MiB, write it, give 1 MiB back. */
	{
		char *b0 = sbrk(0), *b1;

		if (sbrk(4 * MiB) == (void *)-1)
			die("sbrk +");
		touch(b0, 4 * MiB / pg);
		if (sbrk(-(intptr_t)(1 * MiB)) == (void *)-1)
			die("sbrk -");
		b1 = sbrk(0);
		(void)b1;
	}

	/* Threads: glibc MAP_STACK stacks and per-thread malloc arenas. */
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&workers[i].th, NULL, worker_main, &workers[i]))
			die("pthread_create");
	}
	pthread_mutex_lock(&lock);
	while (ready < nthreads)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < nthreads; i++) {
		unsigned int j;
		uintptr_t a = (uintptr_t)workers[i].buf & ~(ARENA_HEAP - 1);

		add_range("thread_stack", (void *)workers[i].stack_lo,
			  workers[i].stack_hi - workers[i].stack_lo, "stack",
			  WORKER_STACK_TOUCH, false);
		/* From the main arena (the brk heap): no arena of its own. */
		if ((uintptr_t)workers[i].buf >= self_stat(47) &&
		    (uintptr_t)workers[i].buf < (uintptr_t)sbrk(0))
			continue;
		workers[i].arena = a;
		for (j = 0; j < i; j++) {
			if (workers[j].arena == a)
				break;
		}
		if (j == i)
			add_range("thread_arena", (void *)a, ARENA_HEAP, "arena",
				  WORKER_MALLOC, false);
	}

	/* The brk heap, as /proc/PID/maps names [heap]: start_brk .. brk. */
	{
		uintptr_t start_brk = self_stat(47);
		uintptr_t brk_end = ((uintptr_t)sbrk(0) + pg - 1) & ~(pg - 1);

		add_range("heap", (void *)start_brk, brk_end - start_brk, "heap",
			  3 * MiB, false);
	}

	emit("{\"stage\":\"manifest\",\"pid\":%d,\"page_size\":%zu,"
	     "\"threads\":%u,\"thp_enabled\":\"%s\",\"thp_use_zero_page\":%d,"
	     "\"merged_pair_in_one_vma\":%s,\"minflt_start\":%lu,\"minflt\":%lu,",
	     getpid(), pg, nthreads + 1, thp, use_zero_page,
	     merged ? "true" : "false", minflt_start, self_stat(10));
	emit("\"offheap\":{\"live_count\":%lu,\"live_bytes\":%lu,"
	     "\"allocated_count\":%lu,\"allocated_bytes\":%lu,"
	     "\"freed_count\":%lu,\"freed_bytes\":%lu},\"ranges\":[",
	     oh.live_count, oh.live_bytes, oh.alloc_count, oh.alloc_bytes,
	     oh.freed_count, oh.freed_bytes);
	for (i = 0; i < nranges; i++) {
		const struct range *r = &ranges[i];

		emit("%s{\"name\":\"%s\",\"start\":\"0x%lx\",\"end\":\"0x%lx\","
		     "\"category\":\"%s\",\"touched_bytes\":%zu,\"exact\":%s}",
		     i ? "," : "", r->name, (unsigned long)r->start,
		     (unsigned long)r->end, r->cat, r->touched,
		     r->exact ? "true" : "false");
	}
	emit("]}");
	flush_line();

	wait_line();

	pthread_mutex_lock(&lock);
	release = true;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < nthreads; i++)
		pthread_join(workers[i].th, NULL);
	unlink(shmname);
	return 0;
}
