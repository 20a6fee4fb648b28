/*
 * nfqdelay: a fixed network delay for kernels without tc netem.
 *
 *   nfqdelay QUEUE_NUM DELAY_MS
 *
 * Takes every packet that iptables sends to NFQUEUE number QUEUE_NUM, holds it
 * for DELAY_MS milliseconds and then accepts it. The delay is the same for all
 * packets, so they leave in the order they came (a FIFO ring, no reordering).
 * If the ring is full, a packet is accepted at once rather than dropped; the
 * queue is opened fail-open for the same reason. On SIGTERM or SIGINT every
 * held packet is accepted before exit.
 *
 * Build: gcc -O2 -Wall -o nfqdelay nfqdelay.c -lnetfilter_queue -lnfnetlink
 */
#define _GNU_SOURCE /* ppoll */
#include <arpa/inet.h> /* before the kernel headers, which redefine struct in_addr otherwise */
#include <errno.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_NO_ENOBUFS
#define NETLINK_NO_ENOBUFS 5
#endif

#define RING_SIZE 65536

struct held {
    uint32_t id;
    struct timespec due;
};

static struct held ring[RING_SIZE];
static size_t head, count;
static struct timespec delay;
static volatile sig_atomic_t stopping;

static void on_signal(int signum) {
    (void)signum;
    stopping = 1;
}

static int before(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static struct timespec add(struct timespec a, struct timespec b) {
    a.tv_sec += b.tv_sec;
    a.tv_nsec += b.tv_nsec;
    if (a.tv_nsec >= 1000000000L) {
        a.tv_sec++;
        a.tv_nsec -= 1000000000L;
    }
    return a;
}

static struct timespec until(struct timespec due, struct timespec now) {
    struct timespec left = {due.tv_sec - now.tv_sec, due.tv_nsec - now.tv_nsec};
    if (left.tv_nsec < 0) {
        left.tv_sec--;
        left.tv_nsec += 1000000000L;
    }
    if (left.tv_sec < 0) {
        left.tv_sec = 0;
        left.tv_nsec = 0;
    }
    return left;
}

static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *message, struct nfq_data *packet, void *data) {
    (void)message;
    (void)data;
    struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(packet);
    if (header == NULL) {
        return 0;
    }
    uint32_t id = ntohl(header->packet_id);
    if (count == RING_SIZE) {
        return nfq_set_verdict(queue, id, NF_ACCEPT, 0, NULL);
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ring[(head + count) % RING_SIZE] = (struct held){id, add(now, delay)};
    count++;
    return 0;
}

/* Accepts the held packets that are due (all of them when `all` is set). */
static void release(struct nfq_q_handle *queue, int all) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    while (count > 0 && (all || !before(&now, &ring[head].due))) {
        nfq_set_verdict(queue, ring[head].id, NF_ACCEPT, 0, NULL);
        head = (head + 1) % RING_SIZE;
        count--;
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s QUEUE_NUM DELAY_MS\n", argv[0]);
        return 2;
    }
    int queue_num = atoi(argv[1]);
    long delay_ms = atol(argv[2]);
    delay.tv_sec = delay_ms / 1000;
    delay.tv_nsec = (delay_ms % 1000) * 1000000L;

    struct nfq_handle *handle = nfq_open();
    if (handle == NULL) {
        perror("nfq_open");
        return 1;
    }
    struct nfq_q_handle *queue = nfq_create_queue(handle, queue_num, on_packet, NULL);
    if (queue == NULL) {
        fprintf(stderr, "nfqdelay: cannot bind to queue %d (is another program using it?)\n", queue_num);
        return 1;
    }
    /* Only the packet id is needed, not the payload. */
    if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0) {
        perror("nfq_set_mode");
        return 1;
    }
    nfq_set_queue_maxlen(queue, RING_SIZE);
    nfq_set_queue_flags(queue, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN);

    int fd = nfq_fd(handle);
    nfnl_rcvbufsiz(nfq_nfnlh(handle), 8 << 20);
    int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

    struct sigaction action = {.sa_handler = on_signal};
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    char buffer[65536] __attribute__((aligned));
    while (!stopping) {
        struct timespec now, wait, *timeout = NULL;
        if (count > 0) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            wait = until(ring[head].due, now);
            timeout = &wait;
        }
        struct pollfd poll_fd = {.fd = fd, .events = POLLIN};
        int ready = ppoll(&poll_fd, 1, timeout, NULL);
        if (ready < 0 && errno != EINTR) {
            perror("ppoll");
            break;
        }
        if (ready > 0) {
            for (;;) {
                ssize_t received = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
                if (received < 0) {
                    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ENOBUFS) {
                        break;
                    }
                    perror("recv");
                    stopping = 1;
                    break;
                }
                nfq_handle_packet(handle, buffer, (int)received);
            }
        }
        release(queue, 0);
    }
    release(queue, 1);
    nfq_destroy_queue(queue);
    nfq_close(handle);
    return 0;
}
