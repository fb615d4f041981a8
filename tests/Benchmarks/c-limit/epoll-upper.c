/*
 * epoll-upper: the practical limit for compare.sh. A line-echo server as a careful C programmer
 * would write it: one thread, level-triggered epoll, non-blocking sockets, and each complete line
 * sent back in ASCII capitals (other bytes, and the line ending, as they came). No framing beyond
 * '\n', no configuration, no pipeline: a yardstick, not a product.
 *
 *   cc -O2 -Wall -Wextra -o epoll-upper epoll-upper.c
 *   ./epoll-upper [--port N]      (N = 0, the default, picks a free port)
 *
 * It listens on 127.0.0.1 and prints "listening on 127.0.0.1:PORT" once it accepts. SIGTERM or
 * SIGINT ends it with status 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum {
    READ_SIZE = 64 << 10, /* one recv: a stream chunk in one call */
    HELD_MAX = 64 << 10,  /* a partial line this long is sent on as it is (upper-casing is per byte) */
    OUT_HIGH = 256 << 10, /* with this much unsent, the connection is not read until it drains */
    MAX_EVENTS = 512,
};

struct conn {
    unsigned char *in; /* the partial last line of the reads so far */
    uint32_t in_len, in_cap;
    unsigned char *out; /* replies the socket did not take yet: out[out_off, out_len) */
    uint32_t out_off, out_len, out_cap;
    uint32_t events; /* the interest registered with epoll */
    bool eof;        /* the client is done sending: close once out drains */
};

static struct conn *conns; /* indexed by fd */
static int max_fds, ep, listener;
static bool accept_paused;
/* Every read lands here behind the connection's partial line, and is upper-cased and sent from here. */
static unsigned char buf[HELD_MAX + READ_SIZE];

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* ASCII a-z to A-Z in place, 16 bytes a step; bytes 0x80 and up pass unchanged. */
static void upper(unsigned char *p, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    /* 'a'..'z' + 31 is 0x80..0x99, the only bytes below -102 when read as signed. */
    const __m128i shift = _mm_set1_epi8(128 - 'a'), limit = _mm_set1_epi8(-128 + 26), bit = _mm_set1_epi8(0x20);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i lower = _mm_cmplt_epi8(_mm_add_epi8(v, shift), limit);
        _mm_storeu_si128((__m128i *)(p + i), _mm_sub_epi8(v, _mm_and_si128(lower, bit)));
    }
#endif
    for (; i < n; i++)
        p[i] -= (unsigned char)(p[i] - 'a') < 26 ? 0x20 : 0;
}

static void append(unsigned char **data, uint32_t *len, uint32_t *cap, const unsigned char *src, size_t n)
{
    if (*len + n > *cap) {
        uint32_t want = *cap ? *cap : 256;
        while (want < *len + n)
            want *= 2;
        if (!(*data = realloc(*data, want)))
            die("realloc");
        *cap = want;
    }
    memcpy(*data + *len, src, n);
    *len += (uint32_t)n;
}

static void close_conn(int fd)
{
    struct conn *c = &conns[fd];
    free(c->in);
    free(c->out);
    memset(c, 0, sizeof *c);
    close(fd); /* takes it out of the epoll set too */
    if (accept_paused) {
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = listener };
        epoll_ctl(ep, EPOLL_CTL_MOD, listener, &ev);
        accept_paused = false;
    }
}

/* Read while output is below OUT_HIGH; wait for room while there is any. */
static void update_interest(int fd, struct conn *c)
{
    uint32_t pending = c->out_len - c->out_off;
    uint32_t want = (!c->eof && pending < OUT_HIGH ? EPOLLIN : 0) | (pending ? EPOLLOUT : 0);
    if (want != c->events) {
        struct epoll_event ev = { .events = want, .data.fd = fd };
        if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) < 0)
            die("epoll_ctl");
        c->events = want;
    }
}

/* Sends what is pending; -1 if the connection is broken. */
static int flush(int fd, struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t n = send(fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN ? 0 : -1;
        }
        c->out_off += (uint32_t)n;
    }
    c->out_off = c->out_len = 0;
    return 0;
}

/* Sends replies at once if nothing is queued before them, and queues what the socket does not take. */
static int reply(int fd, struct conn *c, const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;
    if (c->out_off == c->out_len) {
        ssize_t sent = send(fd, p, n, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno != EAGAIN && errno != EINTR)
                return -1;
            sent = 0;
        }
        p += sent;
        n -= (size_t)sent;
        c->out_off = c->out_len = 0;
    }
    if (n)
        append(&c->out, &c->out_len, &c->out_cap, p, n);
    return 0;
}

/* One recv behind the held partial line; all complete lines of it go back in one send. */
static int on_readable(int fd, struct conn *c)
{
    size_t held = c->in_len;
    memcpy(buf, c->in, held);
    ssize_t n = recv(fd, buf + held, READ_SIZE, 0);
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    c->in_len = 0;
    if (n == 0) {
        /* The client is done sending: its last line, unterminated, still gets its reply. */
        c->eof = true;
        upper(buf, held);
        return reply(fd, c, buf, held);
    }
    size_t total = held + (size_t)n;
    /* The held part has no '\n', so only the new bytes are searched. */
    unsigned char *nl = memrchr(buf + held, '\n', (size_t)n);
    size_t complete = nl ? (size_t)(nl - buf) + 1 : total >= HELD_MAX ? total : 0;
    upper(buf, complete);
    if (reply(fd, c, buf, complete) < 0)
        return -1;
    append(&c->in, &c->in_len, &c->in_cap, buf + complete, total - complete);
    return 0;
}

static void accept_all(void)
{
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE) {
                /* Out of descriptors: stop accepting (level-triggered would spin) until one closes. */
                struct epoll_event ev = { .events = 0, .data.fd = listener };
                epoll_ctl(ep, EPOLL_CTL_MOD, listener, &ev);
                accept_paused = true;
            }
            return;
        }
        if (fd >= max_fds) { /* cannot happen below RLIMIT_NOFILE, but the table must not overflow */
            close(fd);
            continue;
        }
        /* Replies are small and awaited: without this, Nagle holds one back behind an unacknowledged one. */
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
            die("epoll_ctl");
        conns[fd].events = EPOLLIN;
    }
}

int main(int argc, char **argv)
{
    long port = 0;
    char *end = NULL;
    if (argc == 3 && strcmp(argv[1], "--port") == 0)
        port = strtol(argv[2], &end, 10);
    if (!(argc == 1 || (argc == 3 && *end == '\0' && port >= 0 && port <= 65535))) {
        fprintf(stderr, "usage: epoll-upper [--port N]    (N = 0, the default, picks a free port)\n");
        return 2;
    }

    /* Room for as many connections as the hard limit allows; the table is touched only where used. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        die("getrlimit");
    rl.rlim_cur = rl.rlim_max < (1 << 20) ? rl.rlim_max : (1 << 20);
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    max_fds = (int)(rl.rlim_cur < (1 << 20) ? rl.rlim_cur : (1 << 20));
    if (!(conns = calloc((size_t)max_fds, sizeof *conns)))
        die("calloc");

    /* The signals arrive as a descriptor in the loop, so a stop is never missed between two waits. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    int signals = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signals < 0)
        die("signalfd");

    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0)
        die("socket");
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t addr_len = sizeof addr;
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0) {
        fprintf(stderr, "cannot listen on 127.0.0.1:%ld: %s\n", port, strerror(errno));
        return 1;
    }
    /* The kernel caps the backlog at net.core.somaxconn; the idle test connects 10,000 at once. */
    if (listen(listener, 65535) < 0 || getsockname(listener, (struct sockaddr *)&addr, &addr_len) < 0)
        die("listen");

    if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
        die("epoll_create1");
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = listener };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev) < 0)
        die("epoll_ctl");
    ev.data.fd = signals;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, signals, &ev) < 0)
        die("epoll_ctl");

    printf("listening on 127.0.0.1:%u\n", ntohs(addr.sin_port));
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int ready = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            uint32_t got = events[i].events;
            if (fd == listener) {
                accept_all();
                continue;
            }
            if (fd == signals)
                goto stopped;
            struct conn *c = &conns[fd];
            /* Room first, so that this read's replies can go straight out; errors surface in send or recv. */
            bool broken = (got & (EPOLLOUT | EPOLLERR | EPOLLHUP)) && c->out_off < c->out_len && flush(fd, c) < 0;
            if (!broken && (c->events & EPOLLIN) && (got & (EPOLLIN | EPOLLERR | EPOLLHUP)))
                broken = on_readable(fd, c) < 0;
            if (broken || (c->eof && c->out_off == c->out_len))
                close_conn(fd);
            else
                update_interest(fd, c);
        }
    }
stopped:
    printf("stopped\n");
    return 0;
}
