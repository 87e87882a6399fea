// SPDX-License-Identifier: GPL-2.0
/*
 * sockzoo - sockets of every kind knmt tracks, in known states, for the
 * socket accuracy tests (tests/vm/t-acc-sockets.sh).
 *
 *   sockzoo SCENARIO [-n COUNT] [-b BYTES] [-u UDP] [-x PAIRS]
 *
 * Two processes: the one started (the "server") and a "client" it forks
 * and execs (its own executable, "client") before it opens any socket, so that
 * neither holds a descriptor of the other's sockets and ss -p shows each
 * socket under one process.  The client is driven by the server over a
 * pipe (its stdin and stdout); it never inherits a socket.
 *
 * Protocol, on the server's stdout (one JSON object a line) and stdin
 * (lines):
 *
 *   1. It builds the scenario, then prints the manifest
 *      {"stage":"manifest","scenario":..,"server":{"pid":N,"sockets":[..]},
 *       "client":{"pid":M,"sockets":[..]},"expect":{..},...}
 *      and waits for lines on stdin.
 *   2. Commands (each answered by one line {"stage":...}):
 *        close   (orphans) close the accepted sockets: {"stage":"closed"}
 *        drain   (orphans) the client reads them to EOF and closes its
 *                ends: {"stage":"drained",...}
 *        go      (churn) run the churn: {"stage":"churned",...}
 *        creator-exit  (inherit) the client exits, its holder stays
 *   3. "exit", EOF on stdin, SIGTERM or SIGINT: the client is told to
 *      exit and waited for, then the server exits 0.
 *
 * A socket of a manifest:
 *   {"what":..,"inode":N,"fd":N,"family":"inet|inet6|unix|other",
 *    "netid":"tcp|udp|u_str|u_dgr|nl","state":..|null,"accepted":bool,
 *    "local":..|null,"remote":..|null}
 * "state" is what it must be (knmt's names: "established", "listen",
 * "closed" for ss's UNCONN, ...), null when it is not fixed; inode is
 * fstat's st_ino (ss "ino:", /proc/PID/fd "socket:[N]").
 *
 * Scenarios:
 *
 *   zoo        (COUNT K, default 3) the server has a TCP listener on
 *              127.0.0.1 and one on [::1] (IPV6_V6ONLY) and K connections
 *              accepted from each; a connected and an unconnected UDP
 *              socket on each of 127.0.0.1 and [::1]; a unix stream
 *              socketpair, a unix dgram socketpair; a unix stream listener
 *              on an abstract name with one connection accepted; a netlink
 *              (NETLINK_ROUTE) socket.  The client holds its 2K+1
 *              connected ends.
 *   closewait  (COUNT N, default 5) the server accepts N connections; the
 *              client closes its ends; the server never closes its own:
 *              once all N have seen the FIN (POLLRDHUP) the manifest is
 *              printed, with the N in CLOSE_WAIT.  The client's closed
 *              sockets went FIN_WAIT_1 -> FIN_WAIT_2, where the kernel
 *              replaces them by timewait entries (the socket destroyed).
 *   unread     (BYTES, default 204800) the client sends BYTES on one TCP
 *              connection that the server never reads (the server's
 *              receive buffer is set big enough to hold them: its Recv-Q
 *              is BYTES when the manifest is printed); the server writes
 *              to the client, which never reads and has a small receive
 *              buffer, until its send queue is full (expect.server_tx).
 *              Plus a unix stream socketpair with 65536 unread bytes
 *              written into one end.
 *   orphans    (COUNT M, default 4) the server accepts M connections and
 *              fills each (the client never reads, with a small receive
 *              buffer) until its send buffer is full.  "close": the
 *              server closes the M sockets: their FIN is queued behind
 *              the unsent data, so they stay in FIN_WAIT_1, orphans.
 *              "drain": the client reads them to EOF and closes: the
 *              kernel destroys the orphans when the ACK of their FIN
 *              comes in (softirq).
 *   churn      (COUNT C, default 200; -u UDP default 100; -x PAIRS default
 *              50) on "go" the client opens and closes C TCP connections
 *              to the server's listener (the server accepts and closes
 *              each), then opens and closes UDP UDP sockets and PAIRS unix
 *              socketpairs.  "churned" gives the counts.
 *   inherit    the client (the creator) opens a TCP listener, a bound UDP
 *              socket and a unix stream socketpair, then forks a holder
 *              (fork alone, no exec) that inherits the four descriptors
 *              and waits for the server to close the client's stdin
 *              (expect.holder: its pid).  ss shows both processes on each
 *              socket; the creator owns them.  "creator-exit": the client
 *              exits, the holder keeps the sockets (and should adopt
 *              them): {"stage":"creator_exited"}.  The holder exits when
 *              the server does.
 *
 * Exit status: 0, or 2 on any error (with a message on stderr).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#define MAXSK 4096
#define TIMEOUT_MS 30000

static const char *role = "sockzoo";

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", role);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
	exit(2);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* --- a growable string ---------------------------------------------------- */

struct str {
	char *s;
	size_t len, cap;
};

static void sadd(struct str *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			die("vsnprintf");
		if ((size_t)n < room) {
			b->len += n;
			return;
		}
		b->cap = (b->cap + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			die("realloc");
		if (b->len == 0)
			b->s[0] = 0;
	}
}

/* --- sockets and their description ---------------------------------------- */

struct sk {
	int fd;
	const char *what;
	const char *state; /* expected, knmt's name, or NULL */
	bool accepted;
};

struct sklist {
	struct sk v[MAXSK];
	int n;
};

static struct sklist mine;

static void add(struct sklist *l, int fd, const char *what, const char *state, bool accepted)
{
	if (l->n == MAXSK)
		die("too many sockets");
	l->v[l->n++] = (struct sk){ fd, what, state, accepted };
}

static void fmt_addr(char *buf, size_t len, const struct sockaddr_storage *ss)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;

		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(buf, len, "\"%s:%u\"", a, ntohs(s->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "\"[%s]:%u\"", a, ntohs(s->sin6_port));
	} else {
		snprintf(buf, len, "null");
	}
}

static void describe(struct str *b, const struct sk *k)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct stat st;
	int dom = 0, type = 0;
	socklen_t ol = sizeof(int);
	const char *fam, *netid;
	char loc[80] = "null", rem[80] = "null";

	if (fstat(k->fd, &st) < 0)
		die("fstat %d", k->fd);
	if (getsockopt(k->fd, SOL_SOCKET, SO_DOMAIN, &dom, &ol) < 0)
		die("SO_DOMAIN");
	ol = sizeof(int);
	if (getsockopt(k->fd, SOL_SOCKET, SO_TYPE, &type, &ol) < 0)
		die("SO_TYPE");
	switch (dom) {
	case AF_INET:
		fam = "inet";
		break;
	case AF_INET6:
		fam = "inet6";
		break;
	case AF_UNIX:
		fam = "unix";
		break;
	default:
		fam = "other";
	}
	if (dom == AF_INET || dom == AF_INET6)
		netid = type == SOCK_STREAM ? "tcp" : "udp";
	else if (dom == AF_UNIX)
		netid = type == SOCK_STREAM ? "u_str" : type == SOCK_DGRAM ? "u_dgr" : "u_seq";
	else if (dom == AF_NETLINK)
		netid = "nl";
	else
		netid = "other";
	if (dom == AF_INET || dom == AF_INET6) {
		sl = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		if (getsockname(k->fd, (struct sockaddr *)&ss, &sl) == 0)
			fmt_addr(loc, sizeof(loc), &ss);
		sl = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		if (getpeername(k->fd, (struct sockaddr *)&ss, &sl) == 0)
			fmt_addr(rem, sizeof(rem), &ss);
	}
	sadd(b, "{\"what\":\"%s\",\"inode\":%lu,\"fd\":%d,\"family\":\"%s\",\"netid\":\"%s\","
		"\"state\":", k->what, (unsigned long)st.st_ino, k->fd, fam, netid);
	if (k->state)
		sadd(b, "\"%s\"", k->state);
	else
		sadd(b, "null");
	sadd(b, ",\"accepted\":%s,\"local\":%s,\"remote\":%s}", k->accepted ? "true" : "false",
	     loc, rem);
}

static void describe_all(struct str *b, const struct sklist *l)
{
	int i;

	sadd(b, "[");
	for (i = 0; i < l->n; i++) {
		if (i)
			sadd(b, ",");
		describe(b, &l->v[i]);
	}
	sadd(b, "]");
}

/* --- socket helpers -------------------------------------------------------- */

static void setint(int fd, int level, int opt, int v, const char *what)
{
	if (setsockopt(fd, level, opt, &v, sizeof(v)) < 0)
		die("setsockopt %s", what);
}

static socklen_t mkaddr(struct sockaddr_storage *ss, int fam, const char *host, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (fam == AF_INET) {
		struct sockaddr_in *s = (void *)ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		if (inet_pton(AF_INET, host, &s->sin_addr) != 1)
			die("bad address %s", host);
		return sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (void *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host, &s->sin6_addr) != 1)
			die("bad address %s", host);
		return sizeof(*s);
	}
}

static int local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		die("getsockname");
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A socket bound to HOST:0 (and listening for TCP); rcvbuf/sndbuf if > 0. */
static int bound(int fam, int type, const char *host, int rcvbuf, int sndbuf)
{
	struct sockaddr_storage ss;
	socklen_t sl = mkaddr(&ss, fam, host, 0);
	int fd = socket(fam, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	if (fam == AF_INET6)
		setint(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
	if (rcvbuf > 0)
		setint(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, "SO_RCVBUF");
	if (sndbuf > 0)
		setint(fd, SOL_SOCKET, SO_SNDBUF, sndbuf, "SO_SNDBUF");
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		die("bind %s", host);
	if (type == SOCK_STREAM && listen(fd, 4096) < 0)
		die("listen");
	return fd;
}

static void wait_fd(int fd, short events, const char *what)
{
	struct pollfd p = { fd, events, 0 };
	int r;

	do
		r = poll(&p, 1, TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die("poll");
	if (r == 0) {
		errno = 0;
		die("timed out waiting for %s", what);
	}
}

static int accept_one(int lfd)
{
	int fd;

	wait_fd(lfd, POLLIN, "a connection");
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		die("accept");
	return fd;
}

static void set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
		die("fcntl");
}

/*
 * Write to fd (non-blocking) until the peer's receive queue and our send
 * queue are full: no progress for 3 rounds of 50 ms.  Returns the bytes
 * written.
 */
static long fill(int fd)
{
	static char buf[65536];
	long total = 0;
	int idle = 0;

	memset(buf, 'f', sizeof(buf));
	set_nonblock(fd, true);
	while (idle < 3) {
		long round = 0;

		for (;;) {
			ssize_t w = write(fd, buf, sizeof(buf));

			if (w < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				if (errno == EINTR)
					continue;
				die("write (fill)");
			}
			round += w;
		}
		total += round;
		idle = round ? 0 : idle + 1;
		msleep(50);
	}
	set_nonblock(fd, false);
	return total;
}

static void write_all(int fd, long bytes)
{
	static char buf[65536];

	memset(buf, 'u', sizeof(buf));
	while (bytes > 0) {
		ssize_t w = write(fd, buf, bytes < (long)sizeof(buf) ? (size_t)bytes : sizeof(buf));

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die("write");
		bytes -= w;
	}
}

static int inq(int fd)
{
	int v;

	if (ioctl(fd, SIOCINQ, &v) < 0)
		die("SIOCINQ");
	return v;
}

static int outq(int fd)
{
	int v;

	if (ioctl(fd, SIOCOUTQ, &v) < 0)
		die("SIOCOUTQ");
	return v;
}

/* =========================================================================
 * The client: commands on stdin, one JSON line of answer on stdout each.
 *
 *   tcp 4|6 ADDR PORT N RCVBUF   connect N sockets (RCVBUF 0: default)
 *   unix NAME N                  connect N unix stream sockets to @NAME
 *   send IDX BYTES               write BYTES on socket IDX (blocking)
 *   close all                    close every socket
 *   drain                        read every socket to EOF, then close it
 *   churn PORT C U P             C TCP connections to 127.0.0.1:PORT, U
 *                                UDP sockets, P unix socketpairs, each
 *                                opened and closed at once
 *   inherit                      a TCP listener, a UDP socket and a unix
 *                                pair, then fork a holder that inherits them
 *                                and waits for EOF on stdin (without
 *                                reading it): {"holder":PID}
 *   list                         {"sockets":[...]}: the open ones
 *   exit (or EOF)                exit 0
 * ========================================================================= */

static void reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int client_main(void)
{
	char line[512];

	role = "sockzoo client";
	while (fgets(line, sizeof(line), stdin)) {
		char a[128];
		int fam, port, n, rcvbuf, i, c, u, p;
		long bytes;

		if (sscanf(line, "tcp %d %127s %d %d %d", &fam, a, &port, &n, &rcvbuf) == 5) {
			struct sockaddr_storage ss;
			socklen_t sl = mkaddr(&ss, fam == 6 ? AF_INET6 : AF_INET, a, port);

			for (i = 0; i < n; i++) {
				int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

				if (fd < 0)
					die("socket");
				if (rcvbuf > 0)
					setint(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, "SO_RCVBUF");
				if (connect(fd, (struct sockaddr *)&ss, sl) < 0)
					die("connect %s:%d", a, port);
				add(&mine, fd, fam == 6 ? "client6" : "client4", "established", false);
			}
			reply("{\"ok\":\"tcp\",\"n\":%d}", n);
		} else if (sscanf(line, "unix %127s %d", a, &n) == 2) {
			struct sockaddr_un un = { .sun_family = AF_UNIX };
			size_t nl = strlen(a);

			if (nl + 1 > sizeof(un.sun_path))
				die("name too long");
			memcpy(un.sun_path + 1, a, nl);
			for (i = 0; i < n; i++) {
				int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

				if (fd < 0)
					die("socket");
				if (connect(fd, (struct sockaddr *)&un,
					    offsetof(struct sockaddr_un, sun_path) + 1 + nl) < 0)
					die("connect @%s", a);
				add(&mine, fd, "client_unix", "established", false);
			}
			reply("{\"ok\":\"unix\",\"n\":%d}", n);
		} else if (sscanf(line, "send %d %ld", &i, &bytes) == 2) {
			if (i < 0 || i >= mine.n)
				die("send: no socket %d", i);
			write_all(mine.v[i].fd, bytes);
			reply("{\"ok\":\"send\",\"bytes\":%ld}", bytes);
		} else if (sscanf(line, "close %127s", a) == 1 && !strcmp(a, "all")) {
			n = mine.n;
			for (i = 0; i < mine.n; i++)
				close(mine.v[i].fd);
			mine.n = 0;
			reply("{\"ok\":\"close\",\"closed\":%d}", n);
		} else if (!strcmp(line, "drain\n")) {
			static char buf[65536];
			long total = 0;
			int resets = 0;

			for (i = 0; i < mine.n; i++) {
				for (;;) {
					ssize_t r;

					wait_fd(mine.v[i].fd, POLLIN, "data to drain");
					r = read(mine.v[i].fd, buf, sizeof(buf));
					if (r < 0 && errno == EINTR)
						continue;
					if (r < 0) {
						resets++;
						break;
					}
					if (r == 0)
						break;
					total += r;
				}
				close(mine.v[i].fd);
			}
			n = mine.n;
			mine.n = 0;
			reply("{\"ok\":\"drain\",\"bytes\":%ld,\"closed\":%d,\"errors\":%d}", total, n,
			      resets);
		} else if (sscanf(line, "churn %d %d %d %d", &port, &c, &u, &p) == 4) {
			struct sockaddr_storage ss;
			socklen_t sl = mkaddr(&ss, AF_INET, "127.0.0.1", port);
			long t0 = now_ms();

			for (i = 0; i < c; i++) {
				int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

				if (fd < 0)
					die("socket");
				if (connect(fd, (struct sockaddr *)&ss, sl) < 0)
					die("connect 127.0.0.1:%d", port);
				close(fd);
			}
			for (i = 0; i < u; i++) {
				int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

				if (fd < 0)
					die("socket");
				close(fd);
			}
			for (i = 0; i < p; i++) {
				int sv[2];

				if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
					die("socketpair");
				close(sv[0]);
				close(sv[1]);
			}
			reply("{\"ok\":\"churn\",\"tcp\":%d,\"udp\":%d,\"unix\":%d,\"opened\":%d,"
			      "\"ms\":%ld}", c, u, 2 * p, c + u + 2 * p, now_ms() - t0);
		} else if (!strcmp(line, "inherit\n")) {
			int sv[2];
			pid_t h;

			add(&mine, bound(AF_INET, SOCK_STREAM, "127.0.0.1", 0, 0), "inherited_listen4",
			    "listen", false);
			add(&mine, bound(AF_INET, SOCK_DGRAM, "127.0.0.1", 0, 0), "inherited_udp4",
			    "closed", false);
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
				die("socketpair");
			add(&mine, sv[0], "inherited_unix_pair", "established", false);
			add(&mine, sv[1], "inherited_unix_pair", "established", false);
			/* The holder inherits them: no CLOEXEC matters, no exec. */
			fflush(stdout);
			h = fork();
			if (h < 0)
				die("fork");
			if (h == 0) {
				struct pollfd p = { 0, 0, 0 };

				role = "sockzoo holder";
				close(1);
				/* POLLHUP once every writer of the stdin pipe is gone. */
				while (poll(&p, 1, -1) < 0 && errno == EINTR)
					;
				_exit(0);
			}
			reply("{\"ok\":\"inherit\",\"holder\":%d}", (int)h);
		} else if (!strcmp(line, "list\n")) {
			struct str s = { 0 };

			describe_all(&s, &mine);
			reply("{\"ok\":\"list\",\"sockets\":%s}", s.s);
			free(s.s);
		} else if (!strcmp(line, "exit\n")) {
			break;
		} else {
			errno = 0;
			die("unknown command: %s", line);
		}
	}
	return 0;
}

/* =========================================================================
 * The server.
 * ========================================================================= */

static pid_t client_pid;
static FILE *to_client, *from_client;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void spawn_client(void)
{
	int in[2], out[2];
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	/* The path itself, not /proc/self/exe: comm would be "exe". */
	if (n <= 0 || n == sizeof(self) - 1)
		die("readlink /proc/self/exe");
	self[n] = 0;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		die("pipe2");
	fflush(NULL);
	client_pid = fork();
	if (client_pid < 0)
		die("fork");
	if (client_pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0)
			die("dup2");
		execl(self, "sockzoo", "client", (char *)NULL);
		die("exec %s", self);
	}
	close(in[0]);
	close(out[1]);
	to_client = fdopen(in[1], "w");
	from_client = fdopen(out[0], "r");
	if (!to_client || !from_client)
		die("fdopen");
}

/* Send a command to the client; its answer line (static) is returned. */
static char *client(const char *fmt, ...)
{
	static char *line;
	static size_t cap;
	va_list ap;

	va_start(ap, fmt);
	vfprintf(to_client, fmt, ap);
	va_end(ap);
	fputc('\n', to_client);
	if (fflush(to_client) != 0)
		die("writing to the client");
	if (getline(&line, &cap, from_client) < 0) {
		errno = 0;
		die("the client did not answer (it died?)");
	}
	line[strcspn(line, "\n")] = 0;
	if (strncmp(line, "{\"ok\":", 6)) {
		errno = 0;
		die("the client answered: %s", line);
	}
	return line;
}

/* The client's "list" answer, as a JSON array. */
static char *client_sockets(void)
{
	char *l = client("list"), *p = strstr(l, "\"sockets\":");
	size_t n;

	if (!p) {
		errno = 0;
		die("bad list answer: %s", l);
	}
	p += strlen("\"sockets\":");
	n = strlen(p);
	if (n && p[n - 1] == '}')
		p[n - 1] = 0;
	return strdup(p);
}

static void print_manifest(const char *scenario, const char *expect_fmt, ...)
{
	struct str s = { 0 };
	char *cl = client_sockets();
	char exp[1024];
	va_list ap;

	va_start(ap, expect_fmt);
	vsnprintf(exp, sizeof(exp), expect_fmt, ap);
	va_end(ap);
	sadd(&s, "{\"stage\":\"manifest\",\"scenario\":\"%s\",\"server\":{\"pid\":%d,\"sockets\":",
	     scenario, (int)getpid());
	describe_all(&s, &mine);
	sadd(&s, "},\"client\":{\"pid\":%d,\"sockets\":%s},\"expect\":{%s}}", (int)client_pid, cl,
	     exp);
	puts(s.s);
	fflush(stdout);
	free(s.s);
	free(cl);
}

static void stage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* --- scenarios ------------------------------------------------------------ */

static int nopt = -1;
static long bopt = 204800;
static int uopt = 100, xopt = 50;

static void zoo(void)
{
	int k = nopt < 0 ? 3 : nopt, i, l4, l6, lu, sv[2];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	char name[64];
	int nl;

	l4 = bound(AF_INET, SOCK_STREAM, "127.0.0.1", 0, 0);
	add(&mine, l4, "listen4", "listen", false);
	l6 = bound(AF_INET6, SOCK_STREAM, "::1", 0, 0);
	add(&mine, l6, "listen6", "listen", false);
	client("tcp 4 127.0.0.1 %d %d 0", local_port(l4), k);
	for (i = 0; i < k; i++)
		add(&mine, accept_one(l4), "accepted4", "established", true);
	client("tcp 6 ::1 %d %d 0", local_port(l6), k);
	for (i = 0; i < k; i++)
		add(&mine, accept_one(l6), "accepted6", "established", true);

	/* UDP: unconnected (bound) and connected to it, v4 and v6. */
	for (i = 0; i < 2; i++) {
		int fam = i ? AF_INET6 : AF_INET;
		const char *host = i ? "::1" : "127.0.0.1";
		int u = bound(fam, SOCK_DGRAM, host, 0, 0);
		int c = bound(fam, SOCK_DGRAM, host, 0, 0);

		sl = sizeof(ss);
		if (getsockname(u, (struct sockaddr *)&ss, &sl) < 0)
			die("getsockname");
		if (connect(c, (struct sockaddr *)&ss, sl) < 0)
			die("connect udp");
		add(&mine, u, i ? "udp6_unconnected" : "udp4_unconnected", "closed", false);
		add(&mine, c, i ? "udp6_connected" : "udp4_connected", "established", false);
	}

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair stream");
	add(&mine, sv[0], "unix_stream_pair", "established", false);
	add(&mine, sv[1], "unix_stream_pair", "established", false);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair dgram");
	/* ESTAB since 5.15 (af_unix: Set TCP_ESTABLISHED for datagram sockets too). */
	add(&mine, sv[0], "unix_dgram_pair", NULL, false);
	add(&mine, sv[1], "unix_dgram_pair", NULL, false);

	nl = snprintf(name, sizeof(name), "knmt-sockzoo.%d", (int)getpid());
	memcpy(un.sun_path + 1, name, nl);
	lu = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lu < 0)
		die("socket unix");
	if (bind(lu, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 1 + nl) < 0)
		die("bind @%s", name);
	if (listen(lu, 16) < 0)
		die("listen unix");
	add(&mine, lu, "unix_listen", "listen", false);
	client("unix %s 1", name);
	add(&mine, accept_one(lu), "unix_accepted", "established", true);

	i = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (i < 0)
		die("socket netlink");
	add(&mine, i, "netlink", NULL, false);

	print_manifest("zoo", "\"k\":%d,\"server_open\":%d,\"client_open\":%d,\"abstract\":\"@%s\"",
		       k, mine.n, 2 * k + 1, name);
}

static void closewait(void)
{
	int n = nopt < 0 ? 5 : nopt, i, l, first;
	long t0;

	l = bound(AF_INET, SOCK_STREAM, "127.0.0.1", 0, 0);
	add(&mine, l, "listen4", "listen", false);
	client("tcp 4 127.0.0.1 %d %d 0", local_port(l), n);
	first = mine.n;
	for (i = 0; i < n; i++)
		add(&mine, accept_one(l), "close_wait", "close_wait", true);
	client("close all");
	t0 = now_ms();
	for (i = first; i < mine.n; i++)
		wait_fd(mine.v[i].fd, POLLRDHUP, "the client's FIN");
	print_manifest("closewait", "\"n\":%d,\"port\":%d,\"fin_wait_ms\":%ld", n, local_port(l),
		       now_ms() - t0);
}

static void unread(void)
{
	long bytes = bopt;
	int rcvbuf = bytes * 4 > 1 << 20 ? (int)(bytes * 4) : 1 << 20;
	int l, s, sv[2], ubytes = 65536;
	long t0, tx;

	l = bound(AF_INET, SOCK_STREAM, "127.0.0.1", rcvbuf, 131072);
	add(&mine, l, "listen4", "listen", false);
	client("tcp 4 127.0.0.1 %d 1 16384", local_port(l));
	s = accept_one(l);
	add(&mine, s, "unread_tcp", "established", true);
	client("send 0 %ld", bytes);
	t0 = now_ms();
	while (inq(s) < bytes) {
		if (now_ms() - t0 > TIMEOUT_MS) {
			errno = 0;
			die("only %d of %ld bytes arrived", inq(s), bytes);
		}
		msleep(20);
	}
	tx = fill(s);

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	write_all(sv[0], ubytes);
	add(&mine, sv[0], "unix_writer", "established", false);
	add(&mine, sv[1], "unix_unread", "established", false);

	print_manifest("unread", "\"tcp_unread\":%ld,\"tcp_recvq\":%d,\"server_tx_written\":%ld,"
		       "\"server_sendq\":%d,\"unix_unread\":%d,\"port\":%d",
		       bytes, inq(s), tx, outq(s), ubytes, local_port(l));
}

static int orph_first, orph_n, orph_port;

static void orphans(void)
{
	int m = nopt < 0 ? 4 : nopt, i, l;
	long filled = 0;

	l = bound(AF_INET, SOCK_STREAM, "127.0.0.1", 0, 65536);
	add(&mine, l, "listen4", "listen", false);
	orph_port = local_port(l);
	client("tcp 4 127.0.0.1 %d %d 16384", orph_port, m);
	orph_first = mine.n;
	orph_n = m;
	for (i = 0; i < m; i++)
		add(&mine, accept_one(l), "to_orphan", "established", true);
	for (i = orph_first; i < mine.n; i++)
		filled += fill(mine.v[i].fd);
	print_manifest("orphans", "\"m\":%d,\"port\":%d,\"filled\":%ld", m, orph_port, filled);
}

static int holder_pid;
static bool client_reaped;

static void inherit(void)
{
	char *ans = client("inherit"), *p = strstr(ans, "\"holder\":");

	if (!p) {
		errno = 0;
		die("bad inherit answer: %s", ans);
	}
	holder_pid = atoi(p + strlen("\"holder\":"));
	print_manifest("inherit", "\"holder\":%d", holder_pid);
}

static void creator_exit(void)
{
	int st = 0;

	fprintf(to_client, "exit\n");
	if (fflush(to_client) != 0)
		die("writing to the client");
	if (waitpid(client_pid, &st, 0) != client_pid)
		die("waitpid");
	client_reaped = true;
	stage("{\"stage\":\"creator_exited\",\"pid\":%d,\"status\":%d,\"holder\":%d}",
	      (int)client_pid, st, holder_pid);
}

static int churn_l;

static void churn(void)
{
	churn_l = bound(AF_INET, SOCK_STREAM, "127.0.0.1", 0, 0);
	add(&mine, churn_l, "listen4", "listen", false);
	print_manifest("churn", "\"tcp\":%d,\"udp\":%d,\"unix_pairs\":%d,\"port\":%d",
		       nopt < 0 ? 200 : nopt, uopt, xopt, local_port(churn_l));
}

static void do_churn(void)
{
	int c = nopt < 0 ? 200 : nopt, i;
	long t0 = now_ms();
	char *ans;

	fprintf(to_client, "churn %d %d %d %d\n", local_port(churn_l), c, uopt, xopt);
	if (fflush(to_client) != 0)
		die("writing to the client");
	for (i = 0; i < c; i++)
		close(accept_one(churn_l));
	ans = NULL;
	{
		size_t cap = 0;

		if (getline(&ans, &cap, from_client) < 0) {
			errno = 0;
			die("the client did not answer the churn");
		}
		ans[strcspn(ans, "\n")] = 0;
	}
	stage("{\"stage\":\"churned\",\"server\":{\"accepted\":%d,\"closed\":%d},\"client\":%s,"
	      "\"ms\":%ld}", c, c, ans, now_ms() - t0);
	free(ans);
}

static void usage(void)
{
	fprintf(stderr, "usage: sockzoo zoo|closewait|unread|orphans|churn|inherit [-n COUNT] "
			"[-b BYTES] [-u UDP] [-x PAIRS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *scenario;
	char *line = NULL;
	size_t cap = 0;
	int c, st;

	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && !strcmp(argv[1], "client"))
		return client_main();
	if (argc < 2)
		usage();
	scenario = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "n:b:u:x:")) != -1) {
		switch (c) {
		case 'n':
			nopt = atoi(optarg);
			break;
		case 'b':
			bopt = atol(optarg);
			break;
		case 'u':
			uopt = atoi(optarg);
			break;
		case 'x':
			xopt = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	/* No SA_RESTART: SIGTERM interrupts the read of stdin. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	role = "sockzoo server";
	spawn_client();

	if (!strcmp(scenario, "zoo"))
		zoo();
	else if (!strcmp(scenario, "closewait"))
		closewait();
	else if (!strcmp(scenario, "unread"))
		unread();
	else if (!strcmp(scenario, "orphans"))
		orphans();
	else if (!strcmp(scenario, "churn"))
		churn();
	else if (!strcmp(scenario, "inherit"))
		inherit();
	else
		usage();

	while (!stop && getline(&line, &cap, stdin) >= 0) {
		line[strcspn(line, "\n")] = 0;
		if (!strcmp(line, "exit"))
			break;
		if (!strcmp(scenario, "orphans") && !strcmp(line, "close")) {
			int i;

			for (i = orph_first; i < orph_first + orph_n; i++)
				close(mine.v[i].fd);
			stage("{\"stage\":\"closed\",\"closed\":%d,\"port\":%d}", orph_n, orph_port);
		} else if (!strcmp(scenario, "orphans") && !strcmp(line, "drain")) {
			stage("{\"stage\":\"drained\",\"client\":%s}", client("drain"));
		} else if (!strcmp(scenario, "churn") && !strcmp(line, "go")) {
			do_churn();
		} else if (!strcmp(scenario, "inherit") && !strcmp(line, "creator-exit") &&
			   !client_reaped) {
			creator_exit();
		} else {
			stage("{\"stage\":\"error\",\"unknown\":\"%s\"}", line);
		}
	}

	fprintf(to_client, "exit\n");
	fclose(to_client);
	if (client_reaped)
		return 0;
	for (c = 0; c < 50; c++) {
		if (waitpid(client_pid, &st, WNOHANG) == client_pid)
			return 0;
		msleep(100);
	}
	kill(client_pid, SIGKILL);
	waitpid(client_pid, &st, 0);
	return 0;
}
