/*
 * parity.c - each parity call handed to its format's engine (parity.h):
 * par2cmdline for PAR2, ISA-L for custos' Reed-Solomon layout, the latter
 * on every core.
 */
#include "container/parity/parity.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "container/parity/par2.h"
#include "container/parity/rs.h"

static unsigned parity_threads(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus > 0 ? (unsigned)cpus : 1;
}

const char *parity_unit(enum parity_format f)
{
	return f == PARITY_RS ? "parity shards" : "recovery blocks";
}

const char *parity_format_name(enum parity_format f)
{
	return f == PARITY_RS ? "RS" : "PAR2";
}

bool parity_format_parse(const char *name, enum parity_format *out)
{
	if (!strcasecmp(name, "par2"))
		*out = PARITY_PAR2;
	else if (!strcasecmp(name, "rs"))
		*out = PARITY_RS;
	else
		return false;
	return true;
}

const char *parity_index_suffix(enum parity_format f)
{
	return f == PARITY_RS ? RS_SUFFIX : ".par2";
}

int parity_tool(enum parity_format f, char *out, size_t cap, struct cu_error *err)
{
	if (f == PARITY_PAR2)
		return par2_version(out, cap, err);
	snprintf(out, cap, "custos Reed-Solomon (ISA-L)");
	return CU_OK;
}

int parity_create(enum parity_format f, const char *index, const char *base_dir,
                  const char *const *paths, size_t n, unsigned percent, struct cu_error *err)
{
	return f == PARITY_RS ? rs_create(index, paths, n, percent, parity_threads(), err)
	                      : par2_create(index, base_dir, paths, n, percent, 0, err);
}

int parity_verify(enum parity_format f, const char *index, const char *base_dir,
                  struct parity_check *out, struct cu_error *err)
{
	return f == PARITY_RS ? rs_verify(index, base_dir, parity_threads(), out, err)
	                      : par2_verify(index, base_dir, out, err);
}

int parity_repair(enum parity_format f, const char *index, const char *base_dir,
                  struct parity_check *out, struct cu_error *err)
{
	return f == PARITY_RS ? rs_repair(index, base_dir, parity_threads(), out, err)
	                      : par2_repair(index, base_dir, out, err);
}
