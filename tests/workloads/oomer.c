// SPDX-License-Identifier: GPL-2.0
/*
 * oomer - grows until the OOM killer takes it (tests/vm/t-acc-oom.sh).
 *
 *   oomer [STEP_MS]
 *
 * Prints its pid, then every STEP_MS milliseconds (default 10) mallocs
 * 1 MiB (glibc maps it on its own: an off-heap buffer, as the mmap
 * threshold stays at 128 KiB while nothing is freed) and writes every
 * page of it.  It never frees and never stops: run it in a memory cgroup.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 10;
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	unsigned long n;

	printf("%d\n", getpid());
	fflush(stdout);
	for (n = 0;; n++) {
		char *p = malloc(1 << 20);

		if (!p) {
			fprintf(stderr, "oomer: malloc failed after %lu MiB\n", n);
			return 1;
		}
		memset(p, (int)(n | 1), 1 << 20);
		nanosleep(&ts, NULL);
	}
}
