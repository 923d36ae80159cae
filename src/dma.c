// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DMA engine: threads that keep a queue of RDMA operations in flight
 * against the blocks they own, record every generation in the shadow state
 * and check blocks through every view while stressors run. A completion
 * error is a finding; the QPs are then drained and re-created so the run
 * goes on.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault.h"
#include "check.h"
#include "clock.h"
#include "dma.h"
#include "rng.h"
#include "units.h"

#define OP_CHECK DMA_OP_COUNT /* internal: RDMA READ for a full check */
#define WC_BATCH 16
#define ERR_KINDS 8 /* distinct (op, status) pairs reported per worker */
/* Seconds the target waits for the initiator to connect at the start. */
#define REMOTE_ACCEPT_TIMEOUT 60.0

struct slot {
	bool busy, failed;
	int op;
	size_t blk;
	uint64_t gen, compare;
	int pending; /* completions still to come (2 for SEND) */
	double posted; /* mono_now() when posted */
};

struct dma_worker {
	struct dma_job *job;
	unsigned index;
	size_t first, n_owned;
	pthread_t thread;
	bool started;
	struct loopback lb;
	struct remote_conn rc; /* instead of lb when job->remote */
	uint8_t *staging;
	size_t staging_len;
	struct ibv_mr *staging_mr;
	struct slot *slots;
	unsigned qd, inflight;
	bool *busy; /* per owned block */
	uint64_t rng;
	size_t prefill_next; /* owned blocks written so far, when prefilling */
	bool prefilling, qp_error, fatal;
	uint64_t since_check;
	uint32_t err_seen[ERR_KINDS];
	unsigned n_err_seen;
	struct check_buf cb;
	struct dma_stats stats;
	struct watch *watch; /* no completion for too long is a hang */
};

static const char *const op_names[] = { "write", "read", "send", "atomic",
					"mixed" };

const char *dma_op_name(enum dma_op op)
{
	return op < DMA_OP_COUNT ? op_names[op] : "check";
}

int dma_op_parse(const char *name, enum dma_op *op)
{
	int i = name_index(op_names, DMA_OP_COUNT, name);

	if (i < 0)
		return -EINVAL;
	*op = (enum dma_op)i;
	return 0;
}

static size_t owned_blk(const struct dma_worker *w, size_t i)
{
	return w->first + i * w->job->stride;
}

static uint8_t *slot_buf(struct dma_worker *w, unsigned s)
{
	return w->staging + (size_t)s * w->job->t->block_size;
}

static uint64_t remote_addr(const struct dma_worker *w, size_t blk)
{
	const struct target *t = w->job->t;

	return (uint64_t)(uintptr_t)t->region.addr + blk * t->block_size;
}

static const char *wr_name(int op)
{
	static const char *const n[] = {
		"RDMA WRITE", "RDMA READ", "SEND",
		"ATOMIC",     "mixed",	   "RDMA READ"
	};

	return n[op];
}

/* --- findings -------------------------------------------------------- */

static void op_finding(struct dma_worker *w, enum finding_class cls,
		       const struct slot *s, const char *what,
		       const char *detail)
{
	struct target *t = w->job->t;
	struct finding f = { .cls = cls, .t = mono_now() - w->job->t0 };

	str_copy(f.mr, sizeof(f.mr), t->name);
	snprintf(f.view, sizeof(f.view), "completion");
	f.offset = (uint64_t)s->blk * t->block_size;
	f.length = f.block_size = t->block_size;
	snprintf(f.title, sizeof(f.title), "%s: %s to %s at 0x%llx: %s",
		 finding_class_name(cls), wr_name(s->op), t->name,
		 (unsigned long long)f.offset, what);
	str_copy(f.detail, sizeof(f.detail), detail);
	finding_add(w->job->fl, &f);
}

/* Report the first completion error of each kind; count them all. */
static void wc_error(struct dma_worker *w, const struct slot *s,
		     const struct ibv_wc *wc)
{
	uint32_t kind = (uint32_t)s->op << 16 | wc->status;

	w->stats.wc_errors++;
	if (wc->status == IBV_WC_WR_FLUSH_ERR)
		return;
	for (unsigned i = 0; i < w->n_err_seen; i++)
		if (w->err_seen[i] == kind)
			return;
	if (w->n_err_seen < ERR_KINDS)
		w->err_seen[w->n_err_seen++] = kind;
	char detail[96];

	snprintf(detail, sizeof(detail),
		 "wc status %d, vendor_err 0x%x; the QPs are re-created",
		 (int)wc->status, wc->vendor_err);
	op_finding(w, FC_COMPLETION_ERROR, s, ibv_wc_status_str(wc->status),
		   detail);
}

static void harness_error(struct dma_worker *w, const struct mrs_err *e)
{
	finding_add_error(w->job->fl, w->job->t->name, mono_now() - w->job->t0,
			  e, "dma %s thread %u", w->job->spec->name, w->index);
	w->fatal = true;
}

/* --- posting --------------------------------------------------------- */

static int post_send_wr(struct dma_worker *w, unsigned s, struct ibv_sge *sge,
			struct ibv_send_wr *wr)
{
	struct ibv_send_wr *bad;

	wr->wr_id = s;
	wr->sg_list = sge;
	wr->num_sge = 1;
	wr->send_flags = IBV_SEND_SIGNALED;
	if (fault_fire(FAULT_RDMA_POST_SEND))
		return errno;
	return ibv_post_send(w->lb.qp[0], wr, &bad);
}

/*
 * Two-host mode: the initiator carries the operation out. A WRITE it fills
 * itself from the block key; a READ comes back into the same staging slot
 * a local READ would use, so finish() checks it the same way.
 */
static int order_rdma(struct dma_worker *w, unsigned s, enum ibv_wr_opcode code)
{
	struct target *t = w->job->t;
	const struct slot *sl = &w->slots[s];
	struct wire_order o = {
		.slot = s,
		.op = code == IBV_WR_RDMA_WRITE ? WIRE_OP_WRITE : WIRE_OP_READ,
		.mr_id = t->mr_id,
		.len = (uint32_t)t->block_size,
		.seed = t->seed,
		.offset = (uint64_t)sl->blk * t->block_size,
		.gen = sl->gen,
		.addr = remote_addr(w, sl->blk),
		.staging = (uintptr_t)slot_buf(w, s),
		.rkey = t->mr->rkey,
		.staging_rkey = w->staging_mr->rkey,
	};
	struct mrs_err e = { 0 };

	/*
	 * A refusal is a broken connection, said by rc.why when the worker
	 * reconnects or loses its peer: EINVAL, as a QP in error answers.
	 */
	return remote_order(&w->rc, &o, &e);
}

static int post_rdma(struct dma_worker *w, unsigned s, enum ibv_wr_opcode code)
{
	struct target *t = w->job->t;
	struct ibv_sge sge = { (uintptr_t)slot_buf(w, s),
			       (uint32_t)t->block_size, w->staging_mr->lkey };
	struct ibv_send_wr wr = { .opcode = code };

	if (w->job->remote)
		return order_rdma(w, s, code);
	wr.wr.rdma.remote_addr = remote_addr(w, w->slots[s].blk);
	wr.wr.rdma.rkey = t->mr->rkey;
	return post_send_wr(w, s, &sge, &wr);
}

static int post_write(struct dma_worker *w, unsigned s)
{
	struct target *t = w->job->t;
	struct slot *sl = &w->slots[s];
	struct block_key k = { t->mr_id, (uint32_t)t->block_size,
			       (uint64_t)sl->blk * t->block_size, t->seed };

	sl->gen = shadow_post_write(&t->shadow, sl->blk);
	block_fill(slot_buf(w, s), &k, sl->gen);
	return post_rdma(w, s, IBV_WR_RDMA_WRITE);
}

/* SEND lands in a receive buffer that is the block itself, inside the MR. */
static int post_send(struct dma_worker *w, unsigned s)
{
	struct target *t = w->job->t;
	struct slot *sl = &w->slots[s];
	struct block_key k = { t->mr_id, (uint32_t)t->block_size,
			       (uint64_t)sl->blk * t->block_size, t->seed };
	struct ibv_sge rsge = { remote_addr(w, sl->blk),
				(uint32_t)t->block_size, t->mr->lkey };
	struct ibv_recv_wr rwr = { .wr_id = s, .sg_list = &rsge, .num_sge = 1 };
	struct ibv_sge sge = { (uintptr_t)slot_buf(w, s),
			       (uint32_t)t->block_size, w->staging_mr->lkey };
	struct ibv_send_wr wr = { .opcode = IBV_WR_SEND };
	struct ibv_recv_wr *bad;
	int ret;

	sl->gen = shadow_post_write(&t->shadow, sl->blk);
	block_fill(slot_buf(w, s), &k, sl->gen);
	ret = ibv_post_recv(w->lb.qp[1], &rwr, &bad);
	if (ret)
		return ret;
	sl->pending = 2;
	return post_send_wr(w, s, &sge, &wr);
}

static int post_atomic(struct dma_worker *w, unsigned s)
{
	struct target *t = w->job->t;
	struct slot *sl = &w->slots[s];
	struct ibv_sge sge = { (uintptr_t)slot_buf(w, s), 8,
			       w->staging_mr->lkey };
	struct ibv_send_wr wr = { .opcode = IBV_WR_ATOMIC_FETCH_AND_ADD };
	struct block_expect x;

	shadow_expect(&t->shadow, sl->blk, false, &x);
	sl->compare = x.check_counter ? x.counter : UINT64_MAX;
	/* Compare-swap needs the value to expect; fetch-add works blind. */
	if (x.check_counter && (rng_next(&w->rng) & 1)) {
		wr.opcode = IBV_WR_ATOMIC_CMP_AND_SWP;
		wr.wr.atomic.compare_add = x.counter;
		wr.wr.atomic.swap = x.counter + 1;
	} else {
		wr.wr.atomic.compare_add = 1;
	}
	sl->gen = wr.opcode; /* remembered for the completion */
	wr.wr.atomic.remote_addr = remote_addr(w, sl->blk) +
				   offsetof(struct block_header, counter);
	wr.wr.atomic.rkey = t->mr->rkey;
	shadow_post_atomic(&t->shadow, sl->blk);
	return post_send_wr(w, s, &sge, &wr);
}

static int post_op(struct dma_worker *w, unsigned s)
{
	switch (w->slots[s].op) {
	case DMA_OP_WRITE:
		return post_write(w, s);
	case DMA_OP_SEND:
		return post_send(w, s);
	case DMA_OP_ATOMIC:
		return post_atomic(w, s);
	default:
		return post_rdma(w, s, IBV_WR_RDMA_READ);
	}
}

static int pick_op(struct dma_worker *w)
{
	enum dma_op op = w->job->spec->op;

	if (w->prefilling)
		return DMA_OP_WRITE;
	if (w->since_check >= w->job->spec->check_every) {
		w->since_check = 0;
		return OP_CHECK;
	}
	w->since_check++;
	if (op == DMA_OP_MIXED)
		return (int)(rng_next(&w->rng) % DMA_OP_MIXED);
	return op;
}

/* An owned block with nothing in flight; SIZE_MAX when there is none. */
static size_t pick_block(struct dma_worker *w)
{
	size_t i;

	if (w->prefilling)
		return w->prefill_next < w->n_owned ? w->prefill_next++ :
						      SIZE_MAX;
	for (int tries = 0; tries < 8; tries++) {
		i = rng_next(&w->rng) % w->n_owned;
		if (!w->busy[i])
			return i;
	}
	for (i = 0; i < w->n_owned; i++)
		if (!w->busy[i])
			return i;
	return SIZE_MAX;
}

static unsigned free_slot(struct dma_worker *w)
{
	for (unsigned s = 0; s < w->qd; s++)
		if (!w->slots[s].busy)
			return s;
	return w->qd;
}

/*
 * A post refused with EINVAL comes from a QP the device has moved to the
 * error state (a failed operation not reaped yet): re-create the QPs. Any
 * other refusal (ENOMEM with fewer WRs out than the queue holds) is not
 * the device's doing: the worker cannot go on.
 */
static void post_failed(struct dma_worker *w, int ret)
{
	struct mrs_err e = { 0 };

	w->qp_error = true;
	if (ret == EINVAL)
		return;
	errno = ret;
	mrs_err_sys(&e, "ibv_post_send(%s, %u in flight)", w->job->t->name,
		    w->inflight);
	harness_error(w, &e);
}

/* Post one operation on owned block i into slot s. */
static int start_op(struct dma_worker *w, unsigned s, size_t i, int op)
{
	struct slot *sl = &w->slots[s];
	int ret;

	*sl = (struct slot){
		.busy = true,
		.op = op,
		.blk = owned_blk(w, i),
		.pending = 1,
		.posted = mono_now(),
	};
	w->busy[i] = true;
	w->inflight++;
	ret = post_op(w, s);
	if (ret) {
		/* Not posted: nothing will complete for it. */
		if (op == DMA_OP_WRITE || op == DMA_OP_SEND)
			shadow_complete_write(&w->job->t->shadow, sl->blk,
					      sl->gen, false);
		else if (op == DMA_OP_ATOMIC)
			shadow_complete_atomic(&w->job->t->shadow, sl->blk,
					       false);
		sl->busy = false;
		w->busy[i] = false;
		w->inflight--;
		post_failed(w, ret);
		return ret;
	}
	atomic_fetch_add_explicit(&w->job->t->dma_posted, 1,
				  memory_order_relaxed);
	return 0;
}

static void fill_queue(struct dma_worker *w)
{
	while (!w->qp_error && w->inflight < w->qd) {
		unsigned s = free_slot(w);
		size_t i = pick_block(w);

		if (s == w->qd || i == SIZE_MAX)
			return;
		if (start_op(w, s, i, pick_op(w)))
			return;
	}
}

/* --- completions ----------------------------------------------------- */

static void full_check(struct dma_worker *w, const struct slot *sl,
		       const void *buf)
{
	struct target *t = w->job->t;
	struct view v[3] = { { .name = "rdma-read",
			       .buf = buf,
			       .file_view = t->odp,
			       .reaches_mr = true } };
	struct mrs_err e = { 0 };
	int n;

	pthread_rwlock_rdlock(&t->view_lock);
	n = check_cpu_views(t, sl->blk, &w->cb, v + 1, &e);
	if (n < 0)
		harness_error(w, &e);
	else
		check_views(t, sl->blk, v, 1 + (unsigned)n, &w->cb, w->job->fl,
			    mono_now() - w->job->t0);
	pthread_rwlock_unlock(&t->view_lock);
	w->stats.checks++;
}

static void finish_atomic(struct dma_worker *w, struct slot *sl,
			  const uint8_t *buf)
{
	struct shadow *sh = &w->job->t->shadow;
	uint64_t orig;
	bool ok = !sl->failed;

	memcpy(&orig, buf, sizeof(orig));
	if (ok && sl->compare != UINT64_MAX && orig != sl->compare) {
		char detail[96];

		snprintf(detail, sizeof(detail),
			 "the counter was %llu, the shadow expects %llu",
			 (unsigned long long)orig,
			 (unsigned long long)sl->compare);
		op_finding(w, FC_STALE, sl, "atomic saw a lost update", detail);
		ok = false;
	}
	shadow_complete_atomic(sh, sl->blk, ok);
}

static void finish(struct dma_worker *w, unsigned s)
{
	struct slot *sl = &w->slots[s];
	struct target *t = w->job->t;
	const uint8_t *buf = slot_buf(w, s);
	struct view v = { "rdma-read", buf, t->odp, true };
	/* Before the checks below: their time is not the device's. */
	double done = mono_now();

	switch (sl->op) {
	case DMA_OP_WRITE:
	case DMA_OP_SEND:
		shadow_complete_write(&t->shadow, sl->blk, sl->gen,
				      !sl->failed);
		break;
	case DMA_OP_ATOMIC:
		finish_atomic(w, sl, buf);
		break;
	case DMA_OP_READ:
		if (!sl->failed)
			check_views(t, sl->blk, &v, 1, &w->cb, w->job->fl,
				    mono_now() - w->job->t0);
		break;
	default:
		if (!sl->failed)
			full_check(w, sl, buf);
	}
	if (!sl->failed) {
		uint64_t n = sl->op == DMA_OP_ATOMIC ? 8 : t->block_size;

		w->stats.ops[sl->op < DMA_OP_COUNT ? sl->op : DMA_OP_READ]++;
		w->stats.bytes += n;
		latency_add(&w->stats.latency,
			    (uint64_t)((done - sl->posted) * 1e9));
		if (w->job->live_bytes)
			atomic_fetch_add_explicit(w->job->live_bytes, n,
						  memory_order_relaxed);
		if (!w->stats.first_done)
			w->stats.first_done = clock_process_age();
	}
	w->busy[(sl->blk - w->first) / w->job->stride] = false;
	sl->busy = false;
	w->inflight--;
	atomic_fetch_add_explicit(&t->dma_done, 1, memory_order_relaxed);
}

static void complete(struct dma_worker *w, const struct ibv_wc *wc)
{
	struct slot *sl;

	if (wc->wr_id >= w->qd || !w->slots[wc->wr_id].busy)
		return; /* not ours: cannot happen with one CQ per worker */
	sl = &w->slots[wc->wr_id];
	if (wc->status != IBV_WC_SUCCESS) {
		if (!sl->failed)
			wc_error(w, sl, wc);
		sl->failed = true;
		w->qp_error = true;
	}
	if (--sl->pending == 0)
		finish(w, (unsigned)wc->wr_id);
}

/*
 * The watch runs while operations are in flight and restarts at every
 * completion: what it catches is a device, or a check between two waits,
 * that stopped making progress. Also while draining and checking at the
 * end.
 */
static int reap(struct dma_worker *w, int timeout_ms)
{
	struct ibv_wc wc[WC_BATCH];
	struct mrs_err e = { 0 };
	int n;

	if (!watch_busy(w->watch))
		watch_begin(w->watch);
	n = w->job->remote ?
		    remote_wait(&w->rc, wc, WC_BATCH, timeout_ms, &e) :
		    loopback_wait(&w->lb, wc, WC_BATCH, timeout_ms, &e);
	if (n > 0)
		watch_begin(w->watch);
	if (n < 0) {
		harness_error(w, &e);
		return n;
	}
	for (int i = 0; i < n; i++)
		complete(w, &wc[i]);
	return n;
}

/*
 * The initiator did not come back: a finding of its own, and the worker
 * stops (nothing can move its blocks any more); the run goes on.
 */
static void peer_lost(struct dma_worker *w, const struct mrs_err *e)
{
	struct finding f = { .cls = FC_PEER_LOST,
			     .t = mono_now() - w->job->t0,
			     .err = e->code };

	str_copy(f.mr, sizeof(f.mr), w->job->t->name);
	snprintf(f.title, sizeof(f.title),
		 "peer-lost: the initiator of dma %s thread %u went away",
		 w->job->spec->name, w->index);
	snprintf(f.detail, sizeof(f.detail), "%.60s; then %.330s",
		 w->rc.why ? w->rc.why : "the connection broke", e->msg);
	finding_add(w->job->fl, &f);
	w->stats.peers_lost++;
	w->fatal = true;
}

static int reconnect(struct dma_worker *w, struct mrs_err *e)
{
	if (!w->job->remote)
		return loopback_reconnect(&w->lb, e);
	/* Waiting for the initiator is not the device being stuck. */
	watch_end(w->watch);
	if (remote_reconnect(&w->rc, w->job->deadline, e)) {
		peer_lost(w, e);
		return 1;
	}
	return 0;
}

/* After an error every posted WR flushes; then the QPs can be replaced. */
static void recover(struct dma_worker *w)
{
	struct mrs_err e = { 0 };
	int ret;

	if (!w->qp_error || w->inflight)
		return;
	ret = reconnect(w, &e);
	if (ret > 0)
		return;
	if (ret) {
		harness_error(w, &e);
		return;
	}
	w->qp_error = false;
	w->stats.reconnects++;
}

static bool stopping(const struct dma_worker *w)
{
	return atomic_load(w->job->stop) || w->fatal;
}

/* Wait for what is in flight; a WR that never completes is a hang. */
static bool drain(struct dma_worker *w)
{
	double deadline = mono_now() + w->job->drain_timeout;

	while (w->inflight && !w->fatal && mono_now() < deadline)
		reap(w, 100);
	if (w->inflight && !w->fatal) {
		struct finding f = { .cls = FC_HANG,
				     .t = mono_now() - w->job->t0 };

		str_copy(f.mr, sizeof(f.mr), w->job->t->name);
		snprintf(f.title, sizeof(f.title),
			 "hang: %u operations on %s never completed",
			 w->inflight, w->job->t->name);
		snprintf(
			f.detail, sizeof(f.detail),
			"dma %s thread %u: no completion within %.0f s of the stop",
			w->job->spec->name, w->index, w->job->drain_timeout);
		finding_add(w->job->fl, &f);
	}
	return !w->inflight;
}

/* Every owned block once more through every view, when nothing moves. */
static void final_check(struct dma_worker *w)
{
	size_t next = 0, stalled = 0;
	struct mrs_err e = { 0 };

	while (!w->fatal && (next < w->n_owned || w->inflight)) {
		recover(w);
		while (!w->qp_error && next < w->n_owned &&
		       w->inflight < w->qd) {
			if (start_op(w, free_slot(w), next, OP_CHECK))
				break;
			next++;
			stalled = 0;
		}
		/* QPs re-created again and again, and still nothing posts. */
		if (!w->inflight && w->qp_error && ++stalled > 16) {
			mrs_err_set(
				&e, EIO,
				"final check of %s: no operation posts, %zu of %zu blocks checked",
				w->job->t->name, next, w->n_owned);
			harness_error(w, &e);
			return;
		}
		if (w->inflight && reap(w, 1000) < 0)
			return;
	}
	w->stats.blocks_final = next;
}

/*
 * A block written by the CPU: for MRs the device may not write into
 * (access=ro), the blocks that RDMA READ checks are filled this way. The
 * file when there is one (its mapping may be read-only), else the mapping.
 */
static int cpu_write_block(struct dma_worker *w, size_t blk, uint8_t *buf)
{
	struct target *t = w->job->t;
	const struct region *g = &t->region;
	uint64_t off = (uint64_t)blk * t->block_size;
	struct block_key k = { t->mr_id, (uint32_t)t->block_size, off,
			       t->seed };
	uint64_t gen = shadow_post_write(&t->shadow, blk);
	bool ok = true;

	block_fill(buf, &k, gen);
	pthread_rwlock_rdlock(&t->view_lock);
	if (g->fd >= 0 && g->shared)
		ok = pwrite(g->fd, buf, t->block_size, (off_t)off) ==
		     (ssize_t)t->block_size;
	else if (g->map_prot & PROT_WRITE)
		memcpy((uint8_t *)g->addr + off, buf, t->block_size);
	else
		ok = false;
	pthread_rwlock_unlock(&t->view_lock);
	shadow_complete_write(&t->shadow, blk, gen, ok);
	return ok ? 0 : -EIO;
}

static void cpu_prefill(struct dma_worker *w)
{
	struct mrs_err e = { 0 };

	for (size_t i = 0; i < w->n_owned && !stopping(w); i++) {
		if (cpu_write_block(w, owned_blk(w, i), w->staging)) {
			mrs_err_sys(&e, "prefilling block %zu of %s by the CPU",
				    owned_blk(w, i), w->job->t->region.desc);
			harness_error(w, &e);
			return;
		}
	}
	w->prefilling = false;
}

/* The initiator's counts, merged into this worker's. */
static void say_bye(struct dma_worker *w)
{
	struct mrs_err e = { 0 };

	if (remote_bye(&w->rc, w->job->drain_timeout, &e)) {
		harness_error(w, &e);
		return;
	}
	for (int i = 0; i < 2; i++)
		w->stats.peer_ops[i] = w->rc.final.ops[i];
	w->stats.peer_bytes = w->rc.final.bytes;
	w->stats.peer_errors = w->rc.final.errors;
}

static void *worker_main(void *arg)
{
	struct dma_worker *w = arg;
	char who[48];

	snprintf(who, sizeof(who), "dma %s", w->job->spec->name);
	__atomic_store_n(
		&w->watch,
		watchdog_add(w->job->wd, who, w->index, w->job->t->name,
			     "waiting for RDMA completions", w->job->deadline),
		__ATOMIC_RELEASE);
	if (w->prefilling && !(w->job->t->access & IBV_ACCESS_REMOTE_WRITE))
		cpu_prefill(w);
	while (!stopping(w)) {
		if (w->prefilling && w->prefill_next == w->n_owned &&
		    !w->inflight)
			w->prefilling = false;
		recover(w);
		fill_queue(w);
		if (w->inflight)
			reap(w, 100);
		else
			watch_end(w->watch);
	}
	w->stats.drained = drain(w);
	if (w->stats.drained)
		final_check(w);
	watch_end(w->watch);
	if (w->job->remote && !w->stats.peers_lost)
		say_bye(w);
	return NULL;
}

/* --- set-up ---------------------------------------------------------- */

/* The initiator writes what it READ into the staging: remote-writable. */
static int staging_access(const struct dma_worker *w)
{
	return IBV_ACCESS_LOCAL_WRITE |
	       (w->job->remote ? IBV_ACCESS_REMOTE_WRITE : 0);
}

static int staging_init(struct dma_worker *w, struct mrs_err *e)
{
	struct target *t = w->job->t;

	w->staging_len = (size_t)w->qd * t->block_size;
	w->staging = fault_fire(FAULT_MEM_MMAP) ?
			     MAP_FAILED :
			     mmap(NULL, w->staging_len, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->staging == MAP_FAILED) {
		w->staging = NULL;
		return mrs_err_sys(e, "mmap(staging %zu bytes)",
				   w->staging_len);
	}
	w->staging_mr = fault_fire(FAULT_RDMA_REG_MR) ?
				NULL :
				ibv_reg_mr(w->job->dev->pd, w->staging,
					   w->staging_len, staging_access(w));
	if (!w->staging_mr)
		return mrs_err_sys(e, "reg_mr(staging anon %zu bytes)",
				   w->staging_len);
	return 0;
}

/* What the initiator is told when this worker's connection comes up. */
static int remote_connect(struct dma_worker *w, struct mrs_err *e)
{
	const struct dma_job *j = w->job;
	const struct target *t = j->t;
	struct wire_hello h = {
		.seed = t->seed,
		.mr_id = t->mr_id,
		.block_size = (uint32_t)t->block_size,
		.op = j->spec->op,
		.qd = w->qd,
		.mr_addr = (uintptr_t)t->region.addr,
		.mr_len = t->region.len,
		.mr_rkey = t->mr->rkey,
	};
	int ret;

	str_copy(h.mr_name, sizeof(h.mr_name), t->name);
	str_copy(h.dma_name, sizeof(h.dma_name), j->spec->name);
	w->stats.remote = true;
	ret = remote_accept(&w->rc, j->remote, j->dev, w->qd, &h,
			    REMOTE_ACCEPT_TIMEOUT, e);
	/* From now on a stop ends a wait for the initiator to come back. */
	w->rc.stop = j->stop;
	/* Before the watchdog calls it a hang: the peer, not the kernel. */
	w->rc.silence_limit = 0.9 * j->deadline;
	return ret;
}

static int worker_init(struct dma_job *j, unsigned i, struct mrs_err *e)
{
	struct dma_worker *w = &j->workers[i];
	size_t n_blocks = j->t->shadow.n_blocks;
	enum dma_op op = j->spec->op;
	int ret;

	w->job = j;
	w->index = i;
	w->first = j->first + i;
	w->n_owned = w->first < n_blocks ?
			     (n_blocks - w->first + j->stride - 1) / j->stride :
			     0;
	if (!w->n_owned)
		return mrs_err_set(
			e, EINVAL,
			"dma %s: thread %u has no block of %s to own (more threads than blocks)",
			j->spec->name, i, j->t->name);
	w->qd = j->spec->qd < w->n_owned ? j->spec->qd : (unsigned)w->n_owned;
	w->rng = j->t->seed ^ (0x9e3779b97f4a7c15ULL * (w->first + 1));
	w->prefilling = op == DMA_OP_READ || op == DMA_OP_ATOMIC ||
			op == DMA_OP_MIXED;
	w->slots = mrs_calloc(w->qd, sizeof(*w->slots));
	w->busy = mrs_calloc(w->n_owned, sizeof(*w->busy));
	if (!w->slots || !w->busy || check_buf_init(&w->cb, j->t->block_size))
		return mrs_err_set(e, ENOMEM, "dma %s: out of memory",
				   j->spec->name);
	ret = staging_init(w, e);
	if (ret)
		return ret;
	if (j->remote)
		return remote_connect(w, e);
	/* Each SEND needs a receive too; depth covers both queues. */
	return loopback_create(j->dev, w->qd + 1, &w->lb, e);
}

static void worker_free(struct dma_worker *w)
{
	if (w->job && w->job->remote)
		remote_close(&w->rc);
	else
		loopback_destroy(&w->lb);
	if (w->staging_mr)
		ibv_dereg_mr(w->staging_mr);
	if (w->staging)
		munmap(w->staging, w->staging_len);
	check_buf_free(&w->cb);
	free(w->slots);
	free(w->busy);
}

static void stats_add(struct dma_stats *a, const struct dma_stats *b)
{
	for (int i = 0; i < DMA_OP_COUNT; i++)
		a->ops[i] += b->ops[i];
	a->bytes += b->bytes;
	a->wc_errors += b->wc_errors;
	a->reconnects += b->reconnects;
	a->checks += b->checks;
	a->blocks_final += b->blocks_final;
	a->remote = a->remote || b->remote;
	for (int i = 0; i < 2; i++)
		a->peer_ops[i] += b->peer_ops[i];
	a->peer_bytes += b->peer_bytes;
	a->peer_errors += b->peer_errors;
	a->peers_lost += b->peers_lost;
	a->drained = a->drained && b->drained;
	if (b->first_done && (!a->first_done || b->first_done < a->first_done))
		a->first_done = b->first_done;
	latency_merge(&a->latency, &b->latency);
}

int dma_job_start(struct dma_job *j, struct mrs_err *e)
{
	int ret = 0;

	/*
	 * SEND would need the initiator to send into a receive the target
	 * posts inside its MR, atomics a counter the initiator cannot check:
	 * not carried (yet) over the wire.
	 */
	if (j->remote && j->spec->op != DMA_OP_WRITE &&
	    j->spec->op != DMA_OP_READ)
		return mrs_err_set(
			e, EINVAL,
			"dma %s: op=%s: two-host mode (--listen) carries write and read only",
			j->spec->name, dma_op_name(j->spec->op));
	j->workers = mrs_calloc(j->spec->threads, sizeof(*j->workers));
	if (!j->workers)
		return mrs_err_set(e, ENOMEM, "dma %s: out of memory",
				   j->spec->name);
	for (unsigned i = 0; i < j->spec->threads && !ret; i++)
		ret = worker_init(j, i, e);
	for (unsigned i = 0; i < j->spec->threads && !ret; i++) {
		ret = -mrs_thread_create(&j->workers[i].thread, worker_main,
					 &j->workers[i]);
		if (ret)
			mrs_err_set(e, -ret, "dma %s: pthread_create failed",
				    j->spec->name);
		else
			j->n_started++;
	}
	return ret;
}

unsigned dma_job_join(struct dma_job *j)
{
	memset(&j->total, 0, sizeof(j->total));
	j->total.drained = true;
	for (unsigned i = 0; i < j->n_started; i++) {
		/* A worker that waits out its drain timeout comes back. */
		if (watch_join(j->workers[i].thread, &j->workers[i].watch,
			       j->drain_timeout)) {
			j->n_stuck++;
			continue;
		}
		stats_add(&j->total, &j->workers[i].stats);
	}
	/* A stuck worker still uses its QPs and buffers: leave them. */
	if (j->n_stuck) {
		j->total.drained = false;
		return j->n_stuck;
	}
	for (unsigned i = 0; j->workers && i < j->spec->threads; i++)
		worker_free(&j->workers[i]);
	free(j->workers);
	j->workers = NULL;
	j->n_started = 0;
	return 0;
}
