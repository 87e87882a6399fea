// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt report: the metrics served over HTTP with libmicrohttpd (its own
 * thread).  GET or HEAD /metrics gets the exposition of the last
 * collection (OpenMetrics when the Accept header asks for it), / a line
 * pointing there; anything else 404 (405 for other methods).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "report.h"

#define CT_TEXT		"text/plain; version=0.0.4; charset=utf-8"
#define CT_OPENMETRICS	"application/openmetrics-text; version=1.0.0; charset=utf-8"

struct report_http {
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	char *text, *om;	/* NULL until the first collection */
	unsigned int port;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *type, char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_str(struct MHD_Connection *c, unsigned int status,
				 const char *text)
{
	char *body = strdup(text);

	if (!body)
		return MHD_NO;
	return reply(c, status, "text/plain; charset=utf-8", body, strlen(body));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	struct report_http *h = cls;
	const char *accept;
	char *body = NULL;
	bool om;

	(void)version;
	(void)upload_data;
	if (*upload_data_size) {
		*upload_data_size = 0;	/* a body is ignored */
		return MHD_YES;
	}
	(void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_str(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				 "knmt report: only GET and HEAD\n");
	if (strcmp(url, "/") == 0)
		return reply_str(c, MHD_HTTP_OK,
				 "knmt report: the metrics are at /metrics\n");
	if (strcmp(url, "/metrics") != 0)
		return reply_str(c, MHD_HTTP_NOT_FOUND,
				 "knmt report: no such page; the metrics are at /metrics\n");

	accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					     MHD_HTTP_HEADER_ACCEPT);
	om = accept && strstr(accept, "application/openmetrics-text");
	pthread_mutex_lock(&h->lock);
	if (om ? h->om : h->text)
		body = strdup(om ? h->om : h->text);
	pthread_mutex_unlock(&h->lock);
	if (!body)
		return reply_str(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				 "knmt report: no collection yet\n");
	return reply(c, MHD_HTTP_OK, om ? CT_OPENMETRICS : CT_TEXT, body,
		     strlen(body));
}

int report_http_start(struct report_http **hp, const struct sockaddr *sa,
		      socklen_t len, char *why, size_t whylen)
{
	struct report_http *h = calloc(1, sizeof(*h));
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD;
	uint16_t port;

	*hp = NULL;
	if (!h) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	pthread_mutex_init(&h->lock, NULL);
	if (sa->sa_family == AF_INET6) {
		flags |= MHD_USE_IPv6;
		port = ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	} else {
		port = ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
	}
	(void)len;
	errno = 0;
	h->d = MHD_start_daemon(flags, port, NULL, NULL, handle, h,
				MHD_OPTION_SOCK_ADDR, sa,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
				MHD_OPTION_END);
	if (!h->d) {
		snprintf(why, whylen, "%s", errno ? strerror(errno)
					    : "libmicrohttpd could not start");
		pthread_mutex_destroy(&h->lock);
		free(h);
		return -1;
	}
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : port;
	*hp = h;
	return 0;
}

unsigned int report_http_port(const struct report_http *h)
{
	return h->port;
}

void report_http_publish(struct report_http *h, char *text, char *om)
{
	char *old_text, *old_om;

	pthread_mutex_lock(&h->lock);
	old_text = h->text;
	old_om = h->om;
	h->text = text;
	h->om = om;
	pthread_mutex_unlock(&h->lock);
	free(old_text);
	free(old_om);
}

void report_http_stop(struct report_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	pthread_mutex_destroy(&h->lock);
	free(h->text);
	free(h->om);
	free(h);
}
