// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small TCP "upload service" on 127.0.0.1 with the classic connection
 * leak: it reads each request's header, never the body, and never closes
 * the connection, so every client that hangs up leaves a socket in
 * CLOSE_WAIT behind, its unread body still queued.  A child process,
 * leaky-client, is the clients: it connects at a steady pace, sends a
 * 64-byte header and a body of 1 to 4 KiB, and closes.  `make demo` runs
 * it in the VM and shows what knmt sees.
 *
 *   leaky-server [SECONDS] [CONNECTIONS_PER_SECOND]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HEADER_SIZE 64
#define BODY_MAX 4096

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The clients: connect, send a request, hang up; total of them in all. */
static void clients(const struct sockaddr_in *addr, unsigned long total,
		    const struct timespec *tick)
{
	static char req[HEADER_SIZE + BODY_MAX];
	unsigned long n;

	for (n = 1; n <= total; n++) {
		size_t body = 1024 + (n * 1237) % (BODY_MAX - 1024 + 1);
		size_t len = HEADER_SIZE + body, off = 0;
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			die("leaky-client: socket");
		if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0)
			die("leaky-client: connect");
		memset(req, 'x', len);
		snprintf(req, HEADER_SIZE, "PUT /upload/%lu %zu", n, body);
		while (off < len) {
			ssize_t w = write(fd, req + off, len - off);

			if (w < 0 && errno != EINTR)
				die("leaky-client: write");
			if (w > 0)
				off += (size_t)w;
		}
		close(fd);
		nanosleep(tick, NULL);
	}
}

int main(int argc, char **argv)
{
	unsigned long seconds = argc > 1 ? strtoul(argv[1], NULL, 10) : 60;
	unsigned long rate = argc > 2 ? strtoul(argv[2], NULL, 10) : 2;
	struct timespec tick = { 0, 1000000000L / (long)(rate ? rate : 1) };
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	long long deadline;
	pid_t server = getpid(), client;
	int lfd, one = 1;

	if (rate == 1) {
		tick.tv_sec = 1;
		tick.tv_nsec = 0;
	}
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("leaky-server: socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(lfd, 128) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0)
		die("leaky-server: listen");
	printf("leaky-server: pid %d, 127.0.0.1:%d, %lu connections/s for %lu s\n",
	       server, ntohs(addr.sin_port), rate, seconds);
	fflush(stdout);

	client = fork();
	if (client < 0)
		die("leaky-server: fork");
	if (client == 0) {
		prctl(PR_SET_NAME, "leaky-client");
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != server)
			_exit(0);
		close(lfd);
		clients(&addr, seconds * rate, &tick);
		_exit(0);
	}

	deadline = now_ms() + (long long)seconds * 1000;
	for (;;) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		long long left = deadline - now_ms();
		char header[HEADER_SIZE];
		int fd;

		if (left <= 0)
			break;
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		/* The header is read; the body and the close never come. */
		if (recv(fd, header, sizeof(header), MSG_WAITALL) < 0)
			perror("leaky-server: recv");
	}
	kill(client, SIGTERM);
	waitpid(client, NULL, 0);
	return 0;
}
