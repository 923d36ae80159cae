// SPDX-License-Identifier: GPL-2.0-or-later
/* Pids of the run's child processes, recorded at each fork. */
#include <pthread.h>

#include "child_pids.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t pids[CHILD_PIDS_MAX];
static size_t n_pids;
static unsigned long dropped;

void child_pids_reset(void)
{
	pthread_mutex_lock(&lock);
	n_pids = 0;
	dropped = 0;
	pthread_mutex_unlock(&lock);
}

void child_pids_add(pid_t pid)
{
	pthread_mutex_lock(&lock);
	if (n_pids < CHILD_PIDS_MAX)
		pids[n_pids++] = pid;
	else
		dropped++;
	pthread_mutex_unlock(&lock);
}

bool child_pids_has(pid_t pid)
{
	bool found = false;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_pids && !found; i++)
		found = pids[i] == pid;
	pthread_mutex_unlock(&lock);
	return found;
}

unsigned long child_pids_dropped(void)
{
	unsigned long n;

	pthread_mutex_lock(&lock);
	n = dropped;
	pthread_mutex_unlock(&lock);
	return n;
}
