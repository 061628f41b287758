// SPDX-License-Identifier: MIT
// Runs the pginit binary the way a user does and captures what it says.
#pragma once

#include <string>

namespace pginit::test {

struct Ran {
  int status = -1;  // exit status; -1 if it did not exit normally (a crash)
  std::string out;
  std::string err;
};

// args are passed through /bin/sh; quote them as needed.
Ran run_pginit(const std::string& args);

// A file in a per-test temporary directory, with the given content.
std::string write_temp_file(const std::string& name, const std::string& content);

}  // namespace pginit::test
