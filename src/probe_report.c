// SPDX-License-Identifier: GPL-2.0-or-later
/* The probe's result as a table for people and as JSON for programs. */
#include <string.h>

#include "probe.h"
#include "units.h"

static json_t *odp_caps_json(uint32_t caps)
{
	const char *names[8];
	unsigned n = odp_transport_cap_names(caps, names, 8);
	json_t *a = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

static json_t *odp_json(const struct device_info *d)
{
	return json_pack(
		"{s:b, s:b, s:o, s:o, s:o}", "supported",
		(int)!!(d->odp_general_caps & IBV_ODP_SUPPORT), "implicit",
		(int)!!(d->odp_general_caps & IBV_ODP_SUPPORT_IMPLICIT), "rc",
		odp_caps_json(d->odp_rc_caps), "uc",
		odp_caps_json(d->odp_uc_caps), "ud",
		odp_caps_json(d->odp_ud_caps));
}

static json_t *device_json(const struct device_info *d)
{
	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:i,"
		" s:i, s:i, s:i, s:i, s:s, s:b}",
		"name", d->name, "fw_ver", d->fw_ver, "node_guid", d->node_guid,
		"vendor_id", (json_int_t)d->vendor_id, "vendor_part_id",
		(json_int_t)d->vendor_part_id, "hw_ver", (json_int_t)d->hw_ver,
		"max_mr_size", (json_int_t)d->max_mr_size, "page_size_cap",
		(json_int_t)d->page_size_cap, "max_qp", d->max_qp, "max_qp_wr",
		d->max_qp_wr, "max_sge", d->max_sge, "max_cq", d->max_cq,
		"max_cqe", d->max_cqe, "max_mr", d->max_mr, "max_pd", d->max_pd,
		"max_mw", d->max_mw, "atomic_cap", d->atomic_cap, "mem_window",
		(int)d->mem_window);

	json_object_set_new(o, "odp", odp_json(d));
	return o;
}

static json_t *port_json(const struct device_info *d)
{
	return json_pack("{s:i, s:s, s:s, s:i, s:i, s:i}", "num", d->port,
			 "state", d->port_state, "link_layer", d->link_layer,
			 "active_mtu", d->active_mtu, "max_mtu", d->max_mtu,
			 "gid_tbl_len", d->gid_tbl_len);
}

static json_t *gid_json(const struct device_info *d)
{
	return json_pack("{s:i, s:s, s:s, s:s?}", "index", d->gid_index, "gid",
			 d->gid, "type", d->gid_type, "netdev",
			 d->netdev[0] ? d->netdev : NULL);
}

static json_t *reg_json(const struct probe_reg *p)
{
	json_t *o = json_pack("{s:s, s:s?, s:s?, s:s, s:s, s:I, s:I, s:b}",
			      "backing", p->backing, "fs",
			      p->fs[0] ? p->fs : NULL, "dir",
			      p->dir[0] ? p->dir : NULL, "access", p->access,
			      "result", probe_outcome_name(p->outcome), "size",
			      (json_int_t)p->size, "page_size",
			      (json_int_t)p->page_size, "huge", (int)p->huge);

	/* Added to schema 1 without renaming: readers of it keep working. */
	if (p->has_page_sizes)
		json_object_set_new(o, "hugepage_size",
				    json_integer((json_int_t)p->hugepage_size));
	if (p->desc[0])
		json_object_set_new(o, "desc", json_string(p->desc));
	if (p->has_supplied)
		json_object_set_new(
			o, "pages_supplied",
			json_integer((json_int_t)p->pages_supplied));
	if (p->outcome != PROBE_ACCEPTED) {
		json_object_set_new(o, "errno", json_integer(p->err));
		json_object_set_new(o, "error",
				    json_string(errno_name(p->err)));
		json_object_set_new(o, "message", json_string(p->detail));
	}
	return o;
}

json_t *probe_to_json(const struct probe_result *res)
{
	json_t *regs = json_array();
	json_t *root;

	for (unsigned i = 0; i < res->n_regs; i++)
		json_array_append_new(regs, reg_json(&res->regs[i]));
	root = json_pack("{s:s, s:s, s:i, s:{s:s, s:s}}", "tool", "mrstress",
			 "version", PACKAGE_VERSION, "schema", 1, "kernel",
			 "release", res->kernel_release, "version",
			 res->kernel_version);
	json_object_set_new(root, "device", device_json(&res->dev));
	json_object_set_new(root, "port", port_json(&res->dev));
	json_object_set_new(root, "gid", gid_json(&res->dev));
	json_object_set_new(root, "registrations", regs);
	return root;
}

static void print_odp(FILE *f, const struct device_info *d)
{
	static const char *const tr[] = { "rc", "uc", "ud" };
	const uint32_t caps[] = { d->odp_rc_caps, d->odp_uc_caps,
				  d->odp_ud_caps };
	const char *names[8];

	fprintf(f, "odp      %s%s",
		d->odp_general_caps & IBV_ODP_SUPPORT ? "advertised" :
							"not advertised",
		d->odp_general_caps & IBV_ODP_SUPPORT_IMPLICIT ? ", implicit" :
								 "");
	for (int t = 0; t < 3; t++) {
		unsigned n = odp_transport_cap_names(caps[t], names, 8);

		if (!n)
			continue;
		fprintf(f, "; %s:", tr[t]);
		for (unsigned i = 0; i < n; i++)
			fprintf(f, "%s%s", i ? "," : " ", names[i]);
	}
	fputc('\n', f);
}

static void print_device(FILE *f, const struct probe_result *res)
{
	const struct device_info *d = &res->dev;

	fprintf(f, "kernel   %s %s\n", res->kernel_release,
		res->kernel_version);
	fprintf(f, "device   %s  fw %s  node_guid %s  vendor 0x%x part %u\n",
		d->name, d->fw_ver, d->node_guid, d->vendor_id,
		d->vendor_part_id);
	fprintf(f, "port     %u  %s  %s  mtu %d (max %d)  gid table %d\n",
		d->port, d->port_state, d->link_layer, d->active_mtu,
		d->max_mtu, d->gid_tbl_len);
	fprintf(f, "gid      index %d  %s  %s%s%s\n", d->gid_index, d->gid,
		d->gid_type, d->netdev[0] ? "  netdev " : "", d->netdev);
	fprintf(f,
		"limits   max_mr_size %llu  max_mr %d  max_qp %d  max_qp_wr %d  max_sge %d  max_cq %d  max_mw %d  atomics %s  mw %s\n",
		(unsigned long long)d->max_mr_size, d->max_mr, d->max_qp,
		d->max_qp_wr, d->max_sge, d->max_cq, d->max_mw, d->atomic_cap,
		d->mem_window ? "yes" : "no");
	print_odp(f, d);
}

static bool same_row(const struct probe_reg *a, const struct probe_reg *b)
{
	return !strcmp(a->backing, b->backing) && !strcmp(a->dir, b->dir) &&
	       a->hugepage_size == b->hugepage_size;
}

static void cell(const struct probe_reg *p, char *buf, size_t len)
{
	if (!p)
		snprintf(buf, len, "-");
	else if (p->outcome == PROBE_ACCEPTED)
		snprintf(buf, len, "accepted");
	else
		snprintf(buf, len, "%s %s",
			 p->outcome == PROBE_REFUSED ? "refused" : "n/a",
			 errno_name(p->err));
}

static const struct probe_reg *find_cell(const struct probe_result *res,
					 const struct probe_reg *row,
					 const char *access)
{
	for (unsigned i = 0; i < res->n_regs; i++)
		if (same_row(&res->regs[i], row) &&
		    !strcmp(res->regs[i].access, access))
			return &res->regs[i];
	return NULL;
}

static bool row_seen(const struct probe_result *res, unsigned upto)
{
	for (unsigned j = 0; j < upto; j++)
		if (same_row(&res->regs[j], &res->regs[upto]))
			return true;
	return false;
}

static void print_row(FILE *f, const struct probe_result *res,
		      const struct probe_reg *row)
{
	static const char *const acc[] = { "rw", "ro", "odp" };
	char c[3][40], pg[16];

	for (int k = 0; k < 3; k++)
		cell(find_cell(res, row, acc[k]), c[k], sizeof(c[k]));
	format_size(row->page_size, pg, sizeof(pg));
	fprintf(f, "  %-13s %-9s %-5s %-18s %-18s %-*s%s%s\n", row->backing,
		row->fs[0] ? row->fs : "-", row->page_size ? pg : "-", c[0],
		c[1], row->dir[0] ? 18 : 0, c[2], row->dir[0] ? " " : "",
		row->dir);
}

/* The first registration of row I whose memory was built, NULL if none. */
static const struct probe_reg *built_in_row(const struct probe_result *res,
					    unsigned i)
{
	for (unsigned j = i; j < res->n_regs; j++)
		if (same_row(&res->regs[j], &res->regs[i]) &&
		    res->regs[j].desc[0])
			return &res->regs[j];
	return NULL;
}

/*
 * What each row's memory really was (huge pages obtained, pages a fault
 * handler supplied), which the table's page column only summarises.
 */
static void print_built(FILE *f, const struct probe_result *res)
{
	const struct probe_reg *p;
	bool any = false;

	for (unsigned i = 0; i < res->n_regs; i++) {
		if (row_seen(res, i))
			continue;
		p = built_in_row(res, i);
		if (!p)
			continue;
		if (!any)
			fprintf(f, "\nmemory as built\n");
		any = true;
		fprintf(f, "  %s", p->desc);
		if (p->has_supplied)
			fprintf(f, "; pages its fault handler supplied:");
		for (unsigned j = i; j < res->n_regs && p->has_supplied; j++)
			if (same_row(&res->regs[j], p))
				fprintf(f, " %s %zu", res->regs[j].access,
					res->regs[j].pages_supplied);
		fputc('\n', f);
	}
}

void probe_print_text(FILE *f, const struct probe_result *res)
{
	bool any_dir = false, any_refused = false;

	print_device(f, res);
	fprintf(f,
		"\nregistration of %s MRs (rw: local+remote write, ro: remote read, odp: rw on demand)\n",
		res->n_regs ? "fresh" : "no");
	fprintf(f, "  %-13s %-9s %-5s %-18s %-18s %-18s %s\n", "memory", "fs",
		"page", "rw", "ro", "odp", "where");
	for (unsigned i = 0; i < res->n_regs; i++) {
		any_dir |= res->regs[i].dir[0] != '\0';
		if (!row_seen(res, i))
			print_row(f, res, &res->regs[i]);
	}
	if (!any_dir)
		fprintf(f,
			"  (file backings not tried: give scratch directories with --scratch)\n");
	print_built(f, res);
	for (unsigned i = 0; i < res->n_regs; i++) {
		const struct probe_reg *p = &res->regs[i];
		char pg[16] = "";

		if (p->outcome == PROBE_ACCEPTED)
			continue;
		if (!any_refused)
			fprintf(f, "\nnot accepted, and why\n");
		any_refused = true;
		if (p->hugepage_size)
			format_size(p->hugepage_size, pg, sizeof(pg));
		fprintf(f, "  %s %s%s%s %s: %s\n", p->backing,
			p->fs[0] ? p->fs : "-", pg[0] ? " " : "", pg, p->access,
			p->detail);
	}
}
