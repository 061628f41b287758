// SPDX-License-Identifier: MIT
// Runs the pginit binary the way a user does and captures what it says.
#pragma once

#include <string>
#include <vector>

namespace pginit::test {

struct Ran {
  int status = -1;  // exit status; -1 if it did not exit normally (a crash)
  std::string out;
  std::string err;
};

// args are passed through /bin/sh; quote them as needed.
Ran run_pginit(const std::string& args);

// The files of a source-tree folder ("scenarios") with an extension (".yaml"), sorted.
std::vector<std::string> source_files(const std::string& folder, const std::string& extension);
// A parameterized test's name for a file: its stem, non-alphanumerics as '_'.
std::string test_name_for(const std::string& path);

// A file in a per-test temporary directory, with the given content.
std::string write_temp_file(const std::string& name, const std::string& content);

}  // namespace pginit::test
