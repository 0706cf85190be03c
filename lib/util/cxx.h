/*
 * The boundary with the C++ libraries we load (poppler, Tesseract): their
 * C APIs are C++ inside, and an exception thrown there (std::bad_alloc
 * when memory runs out) would unwind into C and end the process with
 * std::terminate (exit 134).  dc_cxx_guard() runs a call inside a C++
 * try block and turns any exception into an error.
 *
 * The function it calls is C: its file is compiled with -fexceptions, so
 * that an exception may unwind through its frame (which must own nothing
 * that needs freeing).
 */
#ifndef DECLASS_LIB_CXX_H
#define DECLASS_LIB_CXX_H

/*
 * fn(arg), catching any C++ exception: 0, DECLASS_ENOMEM for
 * std::bad_alloc ("out of memory (std::bad_alloc) in <what>"), or
 * DECLASS_ERROR naming the exception.  `what` names the call.
 */
int dc_cxx_guard(void (*fn)(void *arg), void *arg, const char *what);

#endif
