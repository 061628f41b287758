// SPDX-License-Identifier: MIT
// docgen_main.cpp - pginit-docgen man|bash FILE (cli/entry_points.h). The
// build runs it (sim/CMakeLists.txt); it is not installed.
#include "cli/entry_points.h"

#ifndef PGINIT_VERSION
#define PGINIT_VERSION "unknown"
#endif

int main(int argc, char** argv) { return pginit::pginit_docgen_main(argc, argv, PGINIT_VERSION); }
