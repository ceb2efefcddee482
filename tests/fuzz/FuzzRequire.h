#pragma once

#include <cstdio>
#include <cstdlib>

// A fuzz target's invariant: a violation is a crash libFuzzer keeps as a finding.
inline void require(bool ok, const char *what) {
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}
