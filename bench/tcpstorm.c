// SPDX-License-Identifier: GPL-2.0
/*
 * tcpstorm - short loopback TCP connections: the cost knmt adds to a
 * socket's life (socket creation, accept, state changes, close and
 * destruction).
 *
 *   tcpstorm [-c CLIENTS] [-n CONNECTIONS]
 *
 * A server thread listens on 127.0.0.1 on a port the kernel picks, and
 * accepts, reads one byte, writes one byte back and closes, one
 * connection after the other.  CLIENTS threads (default 4) connect, write
 * one byte, read the reply, wait for the server's FIN (end of file) and
 * close: CONNECTIONS in all (default 20000), split evenly.
 *
 * TIME_WAIT: the side that closes first keeps the connection in TIME_WAIT
 * (60 s on Linux).  A client in TIME_WAIT holds its ephemeral port, and
 * 20000 connections in a few seconds would use up the range (32768-60999
 * by default) and fail with EADDRNOTAVAIL.  Here the server always closes
 * first: the client closes only once it has read the server's FIN, so the
 * client side ends through CLOSE_WAIT and LAST_ACK, without TIME_WAIT,
 * and its port is free again at once.  The TIME_WAIT entries are on the
 * server side, keyed by the client's port: they take no port a client
 * needs, and a new SYN on the same 4-tuple ends one (TCP timestamps).
 * Beyond net.ipv4.tcp_max_tw_buckets the kernel closes them at once.
 * Both sides close normally (FIN), never with a reset, so every socket
 * takes the whole path of states knmt follows.
 *
 * The server and client threads are created first and start together
 * from a barrier; the time is from the earliest start to the last end
 * (the server's last close, or the last client's).
 *
 * Result: {"workload":"tcpstorm","ops":CONNECTIONS,"ns":N,"clients":C,
 *          "port":P,"pid":N}
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define MAX_CLIENTS 1024

static struct sockaddr_in server_addr;
static int listen_fd;
static unsigned long long total = 20000;

struct worker {
	struct bench_thread t;
	unsigned long long n;
};

__attribute__((noreturn)) static void usage(void)
{
	printf("Usage: tcpstorm [-c CLIENTS] [-n CONNECTIONS]\n"
	       "CLIENTS threads open CONNECTIONS loopback TCP connections in all to a\n"
	       "server thread: connect, one byte each way, the server closes first.\n"
	       "Prints one JSON line: {\"workload\":\"tcpstorm\",\"ops\":CONNECTIONS,\"ns\":N,...}.\n"
	       "\n"
	       "  -c, --clients CLIENTS      client threads (default 4, at most %d)\n"
	       "  -n, --connections N        connections over all clients (default 20000)\n"
	       "  -h, --help                 this help\n", MAX_CLIENTS);
	exit(0);
}

/* read(2) of at most one byte, again on EINTR: 1, or 0 at end of file. */
static ssize_t read1(int fd, char *c, const char *who)
{
	ssize_t r;

	while ((r = read(fd, c, 1)) < 0) {
		if (errno != EINTR)
			die_errno("%s: read", who);
	}
	return r;
}

static void write1(int fd, char c, const char *who)
{
	ssize_t r;

	while ((r = write(fd, &c, 1)) < 0) {
		if (errno != EINTR)
			die_errno("%s: write", who);
	}
	if (r != 1)
		die("%s: short write", who);
}

static void *serve(void *arg)
{
	struct worker *w = arg;
	unsigned long long i;
	char c;
	int fd;

	bench_begin(&w->t);
	for (i = 0; i < w->n; i++) {
		while ((fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
			if (errno != EINTR && errno != ECONNABORTED)
				die_errno("server: accept");
		}
		if (read1(fd, &c, "server") != 1)
			die("server: connection %llu closed before its byte", i);
		write1(fd, c, "server");
		if (close(fd))
			die_errno("server: close");
	}
	bench_end(&w->t);
	return NULL;
}

static void *client(void *arg)
{
	struct worker *w = arg;
	unsigned long long i;
	char c;
	int fd;

	bench_begin(&w->t);
	for (i = 0; i < w->n; i++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			die_errno("client: socket");
		while (connect(fd, (struct sockaddr *)&server_addr,
			       sizeof(server_addr))) {
			if (errno != EINTR)
				die_errno("client: connect to 127.0.0.1:%u",
					  ntohs(server_addr.sin_port));
		}
		write1(fd, 'x', "client");
		if (read1(fd, &c, "client") != 1 || c != 'x')
			die("client: no reply from the server");
		/* The server's FIN: it has closed, it keeps the TIME_WAIT. */
		if (read1(fd, &c, "client") != 0)
			die("client: more than one byte from the server");
		if (close(fd))
			die_errno("client: close");
	}
	bench_end(&w->t);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "clients", required_argument, NULL, 'c' },
		{ "connections", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int nclients = 4, i;
	uint64_t ns;
	socklen_t alen = sizeof(server_addr);
	struct worker *w;
	char extra[256];
	int c;

	bench_prog = "tcpstorm";
	while ((c = getopt_long(argc, argv, "c:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			nclients = (unsigned int)parse_count("-c", optarg, 1,
							     MAX_CLIENTS);
			break;
		case 'n':
			total = parse_count("-n", optarg, 1, 1ULL << 40);
			break;
		case 'h':
			usage();
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		die_errno("socket");
	server_addr.sin_family = AF_INET;
	server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	server_addr.sin_port = 0;
	if (bind(listen_fd, (struct sockaddr *)&server_addr, sizeof(server_addr)))
		die_errno("bind 127.0.0.1:0");
	if (listen(listen_fd, 4096))
		die_errno("listen");
	if (getsockname(listen_fd, (struct sockaddr *)&server_addr, &alen))
		die_errno("getsockname");

	/* w[0] is the server, w[1..] the clients. */
	w = calloc(nclients + 1, sizeof(*w));
	if (!w)
		die("out of memory");
	w[0].t.fn = serve;
	w[0].n = total;
	for (i = 0; i < nclients; i++) {
		w[i + 1].t.fn = client;
		w[i + 1].n = total / nclients + (i < total % nclients);
	}
	ns = bench_threads(w, sizeof(*w), nclients + 1);
	free(w);
	if (close(listen_fd))
		die_errno("close of the listener");

	snprintf(extra, sizeof(extra), ",\"clients\":%u,\"port\":%u,\"pid\":%ld",
		 nclients, ntohs(server_addr.sin_port), (long)getpid());
	print_result("tcpstorm", total, ns, extra);
	return 0;
}
