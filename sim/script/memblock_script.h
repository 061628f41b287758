// SPDX-License-Identifier: MIT
// memblock_script.h - `pginit memblock SCRIPT`: drive memblock one operation
// a line, to explore or test its behaviour against the kernel's.
#pragma once

#include <iosfwd>
#include <string>

namespace pginit {

// Runs @text (named @file in messages) on a fresh memblock. Output goes to
// @out; a malformed line throws InputError (SCRIPT:LINE: ...), an operation
// memblock refuses (e.g. a full array before allow_resize) is reported on
// @err and returns 1. debug: print the memblock=debug lines as well.
int run_memblock_script(const std::string& text, const std::string& file, std::ostream& out,
                        std::ostream& err, bool debug);

}  // namespace pginit
