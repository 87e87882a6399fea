// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small "file-transfer service" with two native leaks that no language
 * heap statistic shows: every request maps a 1 MiB transfer buffer
 * (anonymous, read-write: what a direct ByteBuffer or a Netty chunk is)
 * and one request in four forgets to unmap it; every 16 requests a
 * worker thread is started that never finishes.  `make demo` runs it in
 * the VM and shows what knmt sees.
 *
 *   leaky-service [SECONDS] [REQUESTS_PER_SECOND]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE (1UL << 20)

static void *idle_worker(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* The transfer: fill the buffer as a copy from a socket would. */
static void serve(unsigned long n)
{
	unsigned char *buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED) {
		perror("leaky-service: mmap");
		exit(1);
	}
	memset(buf, (int)n, BUF_SIZE);
	if (n % 4 != 0)
		munmap(buf, BUF_SIZE);	/* the other one in four leaks */
}

int main(int argc, char **argv)
{
	unsigned long seconds = argc > 1 ? strtoul(argv[1], NULL, 10) : 60;
	unsigned long rate = argc > 2 ? strtoul(argv[2], NULL, 10) : 20;
	struct timespec tick = { 0, 1000000000L / (long)(rate ? rate : 1) };
	unsigned long n, total = seconds * rate;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 << 10);
	printf("leaky-service: pid %d, %lu requests/s for %lu s\n", getpid(),
	       rate, seconds);
	fflush(stdout);
	for (n = 1; n <= total; n++) {
		serve(n);
		if (n % 16 == 0) {
			pthread_t t;

			if (pthread_create(&t, &attr, idle_worker, NULL) == 0)
				pthread_detach(t);
		}
		nanosleep(&tick, NULL);
	}
	return 0;
}
