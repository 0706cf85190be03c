// A test library, loaded with LD_PRELOAD, that makes operator new throw
// std::bad_alloc as it does when memory runs out: for one of the
// allocations made from a library whose path holds $FAILNEW_LIB
// ("libtesseract"), the one after the first $FAILNEW_AFTER.  Everything
// else allocates as usual (malloc and free, so sanitizers see matching
// pairs), the later allocations too, as when memory is short for a
// moment.  With
// $FAILNEW_REPORT set, the count of those allocations is printed on
// stderr at exit ("failnew: N"): what loading the library costs, whose
// static constructors no one can catch an exception from.
// tests/cli/test_hostile_extraction.sh uses it: OCR under memory
// pressure must fail a page, not abort the process.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <new>

static unsigned long calls;

static void *take(std::size_t n, void *caller)
{
	static const char *lib = getenv("FAILNEW_LIB");
	static const char *after = getenv("FAILNEW_AFTER");
	Dl_info info;

	if (lib && dladdr(caller, &info) && info.dli_fname && strstr(info.dli_fname, lib) &&
	    ++calls == (after ? strtoul(after, NULL, 10) + 1 : 0))
		throw std::bad_alloc();
	if (void *p = malloc(n ? n : 1))
		return p;
	throw std::bad_alloc();
}

void *operator new(std::size_t n)
{
	return take(n, __builtin_return_address(0));
}

void *operator new[](std::size_t n)
{
	return take(n, __builtin_return_address(0));
}

void operator delete(void *p) noexcept
{
	free(p);
}

void operator delete[](void *p) noexcept
{
	free(p);
}

void operator delete(void *p, std::size_t) noexcept
{
	free(p);
}

void operator delete[](void *p, std::size_t) noexcept
{
	free(p);
}

__attribute__((destructor)) static void report()
{
	if (getenv("FAILNEW_REPORT"))
		fprintf(stderr, "failnew: %lu\n", calls);
}
