// SPDX-License-Identifier: MIT
// main.cpp - the pginit command line (cli/entry_points.h).
#include "cli/entry_points.h"

#ifndef PGINIT_VERSION
#define PGINIT_VERSION "unknown"
#endif

int main(int argc, char** argv) { return pginit::pginit_main(argc, argv, PGINIT_VERSION); }
