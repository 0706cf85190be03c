// The C++ boundary (see cxx.h): exceptions from poppler and Tesseract
// become errors instead of std::terminate.
#include <exception>
#include <new>

extern "C" {
#include "util/cxx.h"
#include "util/error.h"
}

int dc_cxx_guard(void (*fn)(void *arg), void *arg, const char *what)
{
	try {
		fn(arg);
		return 0;
	} catch (const std::bad_alloc &) {
		return dc_error_set(DECLASS_ENOMEM, "out of memory (std::bad_alloc) in %s", what);
	} catch (const std::exception &e) {
		return dc_error_set(DECLASS_ERROR, "%s failed: C++ exception: %s", what, e.what());
	} catch (...) {
		return dc_error_set(DECLASS_ERROR, "%s failed: unknown C++ exception", what);
	}
}
