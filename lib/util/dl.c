/* Optional libraries loaded when first needed (see dl.h). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "dl.h"

int dc_dl_load(const char *soname, const char *package, const dc_dl_sym *syms, size_t n, char *why,
               size_t len)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!lib) {
		snprintf(why, len, "cannot load %s (%s); install %s", soname, dlerror(), package);
		return -1;
	}
	for (i = 0; i < n; i++) {
		void *p = dlsym(lib, syms[i].name);

		if (!p) {
			snprintf(why, len, "%s has no %s (another version of %s?)", soname,
			         syms[i].name, package);
			dlclose(lib);
			return -1;
		}
		/* POSIX: a function's address fits in a void pointer. */
		memcpy(syms[i].fn, &p, syms[i].size);
	}
	return 0;
}
