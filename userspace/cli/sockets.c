// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt sockets: the open sockets of every tracked process, or of one
 * (DUMP_SOCKETS), as ss lists them, with how long each has been open
 * and in its state and what its buffers hold.  The filters apply here,
 * after the dump.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"
#include "output.h"
#include "procs.h"
#include "units.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static const struct cli_command cli_cmd_sockets;

/* ---- names ------------------------------------------------------------ */

static bool is_inet(const struct knmt_socket *s)
{
	return KNMT_HAS(s, KNMT_A_SOCK_FAMILY) &&
	       (s->family == AF_INET || s->family == AF_INET6);
}

/* "inet", "inet6", "unix", else "af<N>". */
static const char *family_name(struct out_doc *doc, unsigned int family)
{
	switch (family) {
	case AF_INET:	return "inet";
	case AF_INET6:	return "inet6";
	case AF_UNIX:	return "unix";
	default:	return out_printf(doc, "af%u", family);
	}
}

/* "stream", "dgram", "seqpacket", "raw", "rdm", else "type<N>". */
static const char *type_name(struct out_doc *doc, unsigned int type)
{
	switch (type) {
	case SOCK_STREAM:	return "stream";
	case SOCK_DGRAM:	return "dgram";
	case SOCK_SEQPACKET:	return "seqpacket";
	case SOCK_RAW:		return "raw";
	case SOCK_RDM:		return "rdm";
	default:		return out_printf(doc, "type%u", type);
	}
}

/* An inet protocol: "tcp", "udp", ..., else its number. */
static const char *protocol_name(struct out_doc *doc, unsigned int proto)
{
	switch (proto) {
	case IPPROTO_TCP:	return "tcp";
	case IPPROTO_UDP:	return "udp";
	case IPPROTO_UDPLITE:	return "udplite";
	case IPPROTO_SCTP:	return "sctp";
	case IPPROTO_MPTCP:	return "mptcp";
	case IPPROTO_ICMP:	return "icmp";
	case IPPROTO_RAW:	return "raw";
	default:		return out_printf(doc, "%u", proto);
	}
}

/*
 * As ss names them: "tcp", "udp", "raw", "sctp", "mptcp", "u_str",
 * "u_dgr", "u_seq", "nl", "p_raw", "p_dgr"; any other "family/type"
 * ("inet/dgram" for a ping socket).  NULL without family and type.
 */
static const char *netid(struct out_doc *doc, const struct knmt_socket *s)
{
	if (!KNMT_HAS(s, KNMT_A_SOCK_FAMILY) || !KNMT_HAS(s, KNMT_A_SOCK_TYPE))
		return NULL;
	if (is_inet(s)) {
		if (s->type == SOCK_RAW)
			return "raw";
		if (s->protocol == IPPROTO_TCP && s->type == SOCK_STREAM)
			return "tcp";
		if (s->protocol == IPPROTO_UDP && s->type == SOCK_DGRAM)
			return "udp";
		if (s->protocol == IPPROTO_SCTP)
			return "sctp";
		if (s->protocol == IPPROTO_MPTCP)
			return "mptcp";
	} else if (s->family == AF_UNIX) {
		switch (s->type) {
		case SOCK_STREAM:	return "u_str";
		case SOCK_DGRAM:	return "u_dgr";
		case SOCK_SEQPACKET:	return "u_seq";
		default:		break;
		}
	} else if (s->family == AF_NETLINK) {
		return "nl";
	} else if (s->family == AF_PACKET) {
		if (s->type == SOCK_RAW)
			return "p_raw";
		if (s->type == SOCK_DGRAM)
			return "p_dgr";
	}
	return out_printf(doc, "%s/%s", family_name(doc, s->family),
			  type_name(doc, s->type));
}

/* For the commands that name sockets too (procs.h). */
const char *sockets_family_name(struct out_doc *doc, unsigned int family)
{
	return family_name(doc, family);
}

const char *sockets_type_name(struct out_doc *doc, unsigned int type)
{
	return type_name(doc, type);
}

const char *sockets_protocol_name(struct out_doc *doc, unsigned int proto)
{
	return protocol_name(doc, proto);
}

const char *sockets_netid(struct out_doc *doc, unsigned int family,
			  unsigned int type, unsigned int protocol)
{
	struct knmt_socket s = {
		.present = KNMT_BIT(KNMT_A_SOCK_FAMILY) |
			   KNMT_BIT(KNMT_A_SOCK_TYPE) |
			   KNMT_BIT(KNMT_A_SOCK_PROTOCOL),
		.family = (uint16_t)family,
		.type = (uint16_t)type,
		.protocol = (uint16_t)protocol,
	};

	return netid(doc, &s);
}

/*
 * "10.0.0.1:8080", "[fe80::1]:53"; in text a port 0 is "*" and so is
 * the IPv6 any address (as ss shows a socket open to both families),
 * JSON keeps "[::]:0".  NULL for a socket that is not inet or an
 * address not sent.
 */
static const char *address(struct out_doc *doc, const struct knmt_socket *s,
			   const uint8_t *addr, uint8_t len, uint16_t port,
			   bool exact)
{
	static const uint8_t any6[16];
	char a[INET6_ADDRSTRLEN], p[8];

	if (!is_inet(s) || (len != 4 && len != 16))
		return NULL;
	if (!inet_ntop(len == 4 ? AF_INET : AF_INET6, addr, a, sizeof(a)))
		return NULL;
	if (port || exact)
		snprintf(p, sizeof(p), "%u", port);
	else
		snprintf(p, sizeof(p), "*");
	if (len == 4)
		return out_printf(doc, "%s:%s", a, p);
	if (!exact && memcmp(addr, any6, sizeof(any6)) == 0)
		return out_printf(doc, "*:%s", p);
	return out_printf(doc, "[%s]:%s", a, p);
}

/* "approx", "accepted", "adopted" for the flags set. */
static struct out_val sock_flags(struct out_doc *doc, uint32_t flags)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ KNMT_SOCK_F_APPROX, "approx" },
		{ KNMT_SOCK_F_ACCEPTED, "accepted" },
		{ KNMT_SOCK_F_ADOPTED, "adopted" },
	};
	struct out_val v[sizeof(names) / sizeof(names[0])];
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			v[n++] = out_str(names[i].name);
	return out_list(doc, v, n);
}

/* ---- --state ------------------------------------------------------------ */

/* Equal but for case, '-' matching '_'. */
static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : (char)tolower((unsigned char)*a);
		char y = *b == '-' ? '_' : (char)tolower((unsigned char)*b);

		if (x != y)
			return false;
	}
	return *a == *b;
}

/* ss's other names for a state (its state filter's). */
static const struct { const char *name; unsigned int state; } state_aliases[] = {
	{ "listening", 10 },
	{ "unconnected", 7 },
	{ "close", 7 },
	{ "syn-rcv", 3 },
};

/* A TCP state from its JSON name, ss's display name or filter name; 0 if none. */
static unsigned int parse_state(const char *s)
{
	unsigned int i;

	for (i = 1; i <= KNMT_TCP_STATES; i++)
		if (name_eq(s, knmt_tcp_state_name(i)) ||
		    name_eq(s, procs_tcp_state_label(i)))
			return i;
	for (i = 0; i < sizeof(state_aliases) / sizeof(state_aliases[0]); i++)
		if (name_eq(s, state_aliases[i].name))
			return state_aliases[i].state;
	return 0;
}

static int state_error(struct cli *cli, const char *s)
{
	return cli_usage_error(cli, &cli_cmd_sockets,
			       "--state: unknown state '%s' (established, syn_sent, "
			       "syn_recv, fin_wait_1, fin_wait_2, time_wait, closed, "
			       "close_wait, last_ack, listen, closing, new_syn_recv; "
			       "any case, '-' for '_'; or as ss names them: estab, "
			       "unconn, unconnected, listening, syn-rcv, close)", s);
}

/* ---- the listing ------------------------------------------------------------ */

struct filter {
	uint32_t pid;		/* 0: every process */
	uint32_t states;	/* bit s: TCP state s; 0: any */
	bool min_age_given;
	uint64_t min_age_ns;
	size_t top;		/* 0: all */
};

static bool wanted(const struct filter *f, const struct knmt_socket *s)
{
	if (f->states && (!KNMT_HAS(s, KNMT_A_SOCK_STATE) ||
			  s->state > KNMT_TCP_STATES ||
			  !(f->states & (1U << s->state))))
		return false;
	if (f->min_age_given && (!KNMT_HAS(s, KNMT_A_SOCK_AGE_NS) ||
				 s->age_ns < f->min_age_ns))
		return false;
	return true;
}

/* By pid, then the oldest first, then by inode. */
static int sock_cmp(const void *a, const void *b)
{
	const struct knmt_socket *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->age_ns != y->age_ns)
		return x->age_ns > y->age_ns ? -1 : 1;
	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

enum {
	KC_PID, KC_COMM, KC_NETID, KC_STATE_TEXT, KC_STATE, KC_RECV_Q,
	KC_SEND_Q, KC_LOCAL_TEXT, KC_PEER_TEXT, KC_AGE, KC_STATE_AGE,
	KC_MEM, KC_INODE,
	/* JSON only */
	KC_FAMILY, KC_TYPE, KC_PROTOCOL, KC_FLAGS, KC_AGE_S, KC_STATE_AGE_S,
	KC_RX, KC_TX, KC_R, KC_RB, KC_T, KC_TB, KC_F, KC_W, KC_LOCAL,
	KC_REMOTE, KC_COUNT
};

/* JSON keys are a contract (userspace/README.md): change none. */
static const struct out_col sock_cols[KC_COUNT] = {
	[KC_PID]	= { "pid",	       "pid",	   OUT_BOTH },
	[KC_COMM]	= { "comm",	       "comm",	   OUT_BOTH },
	[KC_NETID]	= { "netid",	       "netid",	   OUT_BOTH },
	[KC_STATE_TEXT]	= { "state",	       "state",	   OUT_TEXT },
	[KC_STATE]	= { "state",	       "state",	   OUT_JSON },
	[KC_RECV_Q]	= { "recv_q",	       "recv-q",   OUT_BOTH },
	[KC_SEND_Q]	= { "send_q",	       "send-q",   OUT_BOTH },
	[KC_LOCAL_TEXT]	= { "local",	       "local",	   OUT_TEXT },
	[KC_PEER_TEXT]	= { "remote",	       "peer",	   OUT_TEXT },
	[KC_AGE]	= { "age",	       "age",	   OUT_TEXT },
	[KC_STATE_AGE]	= { "state_age",       "in state", OUT_TEXT },
	[KC_MEM]	= { "mem_bytes",       "mem",	   OUT_BOTH },
	[KC_INODE]	= { "inode",	       "inode",	   OUT_BOTH },
	[KC_FAMILY]	= { "family",	       "family",   OUT_JSON },
	[KC_TYPE]	= { "type",	       "type",	   OUT_JSON },
	[KC_PROTOCOL]	= { "protocol",	       "protocol", OUT_JSON },
	[KC_FLAGS]	= { "flags",	       "flags",	   OUT_JSON },
	[KC_AGE_S]	= { "age_s",	       "age",	   OUT_JSON },
	[KC_STATE_AGE_S] = { "state_age_s",    "in state", OUT_JSON },
	[KC_RX]		= { "rx_queued_bytes", "rx",	   OUT_JSON },
	[KC_TX]		= { "tx_queued_bytes", "tx",	   OUT_JSON },
	[KC_R]		= { "skmem.r",	       "r",	   OUT_JSON },
	[KC_RB]		= { "skmem.rb",	       "rb",	   OUT_JSON },
	[KC_T]		= { "skmem.t",	       "t",	   OUT_JSON },
	[KC_TB]		= { "skmem.tb",	       "tb",	   OUT_JSON },
	[KC_F]		= { "skmem.f",	       "f",	   OUT_JSON },
	[KC_W]		= { "skmem.w",	       "w",	   OUT_JSON },
	[KC_LOCAL]	= { "local",	       "local",	   OUT_JSON },
	[KC_REMOTE]	= { "remote",	       "peer",	   OUT_JSON },
};

static const char approx_note[] =
	"* open before knmt was loaded: age counted from the load";

/*
 * Row r of t; with marks, the approximate ages are marked "*" and the
 * others " " so that their digits line up.
 */
static void sock_row(struct out_doc *doc, struct out_table *t, size_t r,
		     const struct knmt_socket *s, bool marks)
{
#define HAS(a) KNMT_HAS(s, a)
#define U32(a, v) (HAS(a) ? out_count(v) : out_null(OUT_COUNT))
	const char *state = NULL, *name;
	struct out_val age;

	if (HAS(KNMT_A_SOCK_STATE)) {
		name = knmt_tcp_state_name(s->state);
		state = name ? name : out_printf(doc, "%u", s->state);
	}
	out_cell(t, r, KC_PID, out_count(s->pid));
	out_cell(t, r, KC_COMM, out_str(HAS(KNMT_A_SOCK_COMM) ? s->comm : NULL));
	out_cell(t, r, KC_NETID, out_str(netid(doc, s)));
	name = procs_tcp_state_label(s->state);
	out_cell(t, r, KC_STATE_TEXT, out_str(!state ? NULL : name ? name : state));
	out_cell(t, r, KC_STATE, out_str(state));
	out_cell(t, r, KC_RECV_Q, U32(KNMT_A_SOCK_RECV_Q, s->recv_q));
	out_cell(t, r, KC_SEND_Q, U32(KNMT_A_SOCK_SEND_Q, s->send_q));
	out_cell(t, r, KC_LOCAL_TEXT,
		 out_str(address(doc, s, s->local_addr, s->local_addr_len,
				 s->local_port, false)));
	out_cell(t, r, KC_PEER_TEXT,
		 out_str(address(doc, s, s->remote_addr, s->remote_addr_len,
				 s->remote_port, false)));
	age = HAS(KNMT_A_SOCK_AGE_NS) ? out_nsec(s->age_ns) : out_null(OUT_NSEC);
	if (marks)
		age = out_marked(age, (s->flags & KNMT_SOCK_F_APPROX) ? "*" : " ");
	out_cell(t, r, KC_AGE, age);
	out_cell(t, r, KC_STATE_AGE, HAS(KNMT_A_SOCK_STATE_AGE_NS) ?
		 out_nsec(s->state_age_ns) : out_null(OUT_NSEC));
	out_cell(t, r, KC_MEM, HAS(KNMT_A_SOCK_MEM) ? out_bytes(s->mem)
						    : out_null(OUT_BYTES));
	out_cell(t, r, KC_INODE, HAS(KNMT_A_SOCK_INODE) ? out_count(s->inode)
							: out_null(OUT_COUNT));
	out_cell(t, r, KC_FAMILY, out_str(HAS(KNMT_A_SOCK_FAMILY) ?
					  family_name(doc, s->family) : NULL));
	out_cell(t, r, KC_TYPE, out_str(HAS(KNMT_A_SOCK_TYPE) ?
					type_name(doc, s->type) : NULL));
	out_cell(t, r, KC_PROTOCOL, out_str(is_inet(s) && HAS(KNMT_A_SOCK_PROTOCOL) ?
					    protocol_name(doc, s->protocol) : NULL));
	out_cell(t, r, KC_FLAGS, sock_flags(doc, s->flags));
	out_cell(t, r, KC_AGE_S, HAS(KNMT_A_SOCK_AGE_NS) ?
		 out_real((double)s->age_ns / 1e9) : out_null(OUT_REAL));
	out_cell(t, r, KC_STATE_AGE_S, HAS(KNMT_A_SOCK_STATE_AGE_NS) ?
		 out_real((double)s->state_age_ns / 1e9) : out_null(OUT_REAL));
	out_cell(t, r, KC_RX, HAS(KNMT_A_SOCK_RX_BYTES) ? out_bytes(s->rx_bytes)
							: out_null(OUT_BYTES));
	out_cell(t, r, KC_TX, HAS(KNMT_A_SOCK_TX_BYTES) ? out_bytes(s->tx_bytes)
							: out_null(OUT_BYTES));
	out_cell(t, r, KC_R, U32(KNMT_A_SOCK_RMEM_ALLOC, s->rmem_alloc));
	out_cell(t, r, KC_RB, U32(KNMT_A_SOCK_RCVBUF, s->rcvbuf));
	out_cell(t, r, KC_T, U32(KNMT_A_SOCK_WMEM_ALLOC, s->wmem_alloc));
	out_cell(t, r, KC_TB, U32(KNMT_A_SOCK_SNDBUF, s->sndbuf));
	out_cell(t, r, KC_F, U32(KNMT_A_SOCK_FWD_ALLOC, s->fwd_alloc));
	out_cell(t, r, KC_W, U32(KNMT_A_SOCK_WMEM_QUEUED, s->wmem_queued));
	out_cell(t, r, KC_LOCAL,
		 out_str(address(doc, s, s->local_addr, s->local_addr_len,
				 s->local_port, true)));
	out_cell(t, r, KC_REMOTE,
		 out_str(address(doc, s, s->remote_addr, s->remote_addr_len,
				 s->remote_port, true)));
#undef U32
#undef HAS
}

/* Explains a failed dump; a pid the module does not know is no error of it. */
static int sockets_report(struct cli *cli, struct knmt *h, int err, uint32_t pid)
{
	if (knmt_last_error(h) == KNMT_E_KERNEL) {
		if (pid && knmt_kernel_errno(h) == ENOENT) {
			fprintf(cli->err, "knmt: process %" PRIu32 " is not tracked "
				"(see the tracking filter: knmt config)\n", pid);
			return CLI_EXIT_RUNTIME;
		}
		if (knmt_kernel_errno(h) == EOPNOTSUPP) {
			fprintf(cli->err, "knmt: the loaded knmt module does not "
				"list sockets: it is older than this knmt\n");
			return CLI_EXIT_RUNTIME;
		}
	}
	return pid ? cli_report_pid(cli, h, err, pid) : cli_report(cli, h, err);
}

static int sockets_show(struct cli *cli, const struct filter *f)
{
	struct knmt_socket *socks = NULL;
	struct out_table *t;
	struct out_doc doc;
	struct knmt *h;
	size_t n = 0, matched = 0, shown, procs = 0, i;
	bool approx = false;
	int ret, err;

	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	err = knmt_dump_sockets_array(h, f->pid, &socks, &n);
	if (err) {
		ret = sockets_report(cli, h, err, f->pid);
		knmt_close(h);
		return ret;
	}
	knmt_close(h);

	/* the matching ones first, sorted; the others dropped */
	for (i = 0; i < n; i++)
		if (wanted(f, &socks[i]))
			socks[matched++] = socks[i];
	if (matched)
		qsort(socks, matched, sizeof(*socks), sock_cmp);
	for (i = 0; i < matched; i++)
		if (i == 0 || socks[i].pid != socks[i - 1].pid)
			procs++;
	shown = f->top && f->top < matched ? f->top : matched;

	for (i = 0; i < shown; i++)
		approx |= (socks[i].flags & KNMT_SOCK_F_APPROX) != 0;

	out_init(&doc);
	t = out_table(&doc, "sockets", NULL, sock_cols, KC_COUNT, shown);
	for (i = 0; t && i < shown; i++)
		sock_row(&doc, t, i, &socks[i], approx);
	if (!cli->json) {
		out_text(&doc, "%zu socket%s of %zu process%s%s", matched,
			 matched == 1 ? "" : "s", procs, procs == 1 ? "" : "es",
			 shown < matched ? out_printf(&doc, ", the first %zu shown",
						      shown) : "");
		if (approx)
			out_text(&doc, "%s", approx_note);
	}
	ret = cli_render(cli, &doc, "the sockets");
	out_free(&doc);
	free(socks);
	return ret;
}

static int parse_min_age(struct cli *cli, const char *s, struct filter *f)
{
	int ret;

	if (s[0] == '-')
		return cli_usage_error(cli, &cli_cmd_sockets,
				       "--min-age: '%s': an age cannot be negative", s);
	ret = units_parse_duration(s, &f->min_age_ns);
	if (ret == -ERANGE)
		return cli_usage_error(cli, &cli_cmd_sockets,
				       "--min-age: '%s' is too long", s);
	if (ret < 0)
		return cli_usage_error(cli, &cli_cmd_sockets,
				       "--min-age: '%s' is not a duration: whole numbers "
				       "with units, the largest first, e.g. 500ms, 30s, 5m, "
				       "1h, 2h30m (d, h, m, s, ms, us, ns; a number "
				       "alone is seconds)", s);
	f->min_age_given = true;
	return 0;
}

static int sockets_run(struct cli *cli, int argc, char **argv)
{
	enum { OPT_STATE = 256, OPT_MIN_AGE };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "min-age", required_argument, NULL, OPT_MIN_AGE },
		{ NULL, 0, NULL, 0 },
	};
	struct filter f = { 0 };
	unsigned int state;
	int c, ret = 0;

	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":jn:p:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'n':
			ret = procs_parse_count(cli, &cli_cmd_sockets, "-n", optarg,
						&f.top);
			break;
		case 'p':
			ret = procs_parse_one_pid(cli, &cli_cmd_sockets, optarg, &f.pid);
			break;
		case OPT_STATE:
			state = parse_state(optarg);
			if (!state)
				ret = state_error(cli, optarg);
			else
				f.states |= 1U << state;
			break;
		case OPT_MIN_AGE:
			ret = parse_min_age(cli, optarg, &f);
			break;
		default:	/* ':' or '?' */
			ret = cli_option_error(cli, &cli_cmd_sockets, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, &cli_cmd_sockets, argc, argv, optind);
	if (ret)
		return ret;
	return sockets_show(cli, &f);
}

CLI_COMMAND(sockets) = {
	.name = "sockets",
	.args = "[-p PID] [--state STATE] [--min-age DURATION] [-n N] [--json]",
	.summary = "the open sockets of processes, as ss, with their age and memory",
	.help =
	"One line per open socket, by pid, the oldest first: its owner (the\n"
	"process that created or accepted it; a process that inherits or\n"
	"receives it does not become its owner, unless the owner exits first),\n"
	"NETID (tcp, udp, raw, sctp, mptcp, u_str, u_dgr, u_seq, nl, p_raw,\n"
	"p_dgr, else family/type as inet/dgram), STATE as ss shows it (ESTAB,\n"
	"LISTEN, UNCONN, CLOSE-WAIT, ...), RECV-Q and SEND-Q as ss, LOCAL and\n"
	"PEER addr:port ([addr]:port for IPv6, * for a wildcard, - when not\n"
	"inet), AGE (since created or accepted), IN STATE (time in its state,\n"
	"kept for LISTEN, SYN-SENT, ESTABLISHED and CLOSE-WAIT, - in the\n"
	"others; for a state entered before accept(), since the accept),\n"
	"MEM (what the socket's buffers are charged) and\n"
	"INODE.  The last line counts the sockets and their processes.\n"
	"A '*' after the age: the socket was open before knmt was loaded, its\n"
	"age is counted from the load.\n"
	"\n"
	"  -p, --pid PID       the sockets of PID only\n"
	"  --state STATE       only sockets in STATE: established, syn_sent,\n"
	"                      syn_recv, fin_wait_1, fin_wait_2, time_wait,\n"
	"                      closed, close_wait, last_ack, listen, closing,\n"
	"                      new_syn_recv, any case, '-' for '_', or as ss\n"
	"                      names them (estab, unconn, listening, ...);\n"
	"                      repeat it for several states\n"
	"  --min-age DURATION  only sockets open for DURATION or longer: 500ms,\n"
	"                      30s, 5m, 1h, 2h30m (a number alone is seconds)\n"
	"  -n N                the first N sockets only (the last line still\n"
	"                      counts all that match)\n"
	"  -j, --json          {\"sockets\": [...]}: exact values, ages in\n"
	"                      seconds, skmem as ss -m (r, rb, t, tb, f, w),\n"
	"                      null for what the module did not send; the keys\n"
	"                      are listed in the README\n"
	"\n"
	"The filters apply to what the module sent.  A pid that names no\n"
	"process: \"knmt: no process PID\"; one that is not tracked: \"knmt:\n"
	"process PID is not tracked\"; exit status 1 for both.\n",
	.run = sockets_run,
};
