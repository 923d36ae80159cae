/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_EXIT_STATUS_H
#define MRS_EXIT_STATUS_H

/* kselftest-compatible exit statuses (DESIGN.md, "Exit status"). */
enum mrs_exit {
	MRS_EXIT_OK = 0, /* nothing unexpected */
	MRS_EXIT_FINDINGS = 1, /* unexpected findings */
	MRS_EXIT_USAGE = 2, /* usage or scenario error */
	MRS_EXIT_HARNESS = 3, /* the harness itself failed */
	MRS_EXIT_SKIP = 4, /* no device, feature or privilege */
};

#endif
