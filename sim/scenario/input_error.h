// SPDX-License-Identifier: MIT
// input_error.h - one error in a user's input, located.
//
// Every input pginit reads (scenario, memblock script, .config, dmesg,
// command line) reports its first error as one line,
//   FILE:LINE: FIELD: what is wrong
// and the CLI exits with status 2. FIELD is a path into the input
// ("machine.e820[2].type") or the operation of a script line.
#pragma once

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace pginit {

class InputError : public std::runtime_error {
 public:
  // line 0: the error is about the file as a whole (unreadable, empty...).
  InputError(std::string file, int line, std::string field, const std::string& what)
      : std::runtime_error(format(file, line, field, what)),
        file_(std::move(file)),
        line_(line),
        field_(std::move(field))
  {
  }
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& field() const { return field_; }

 private:
  static std::string format(const std::string& file, int line, const std::string& field,
                            const std::string& what)
  {
    std::string where = line > 0 ? fmt::format("{}:{}", file, line) : file;
    return field.empty() ? fmt::format("{}: {}", where, what)
                         : fmt::format("{}: {}: {}", where, field, what);
  }
  std::string file_;
  int line_;
  std::string field_;
};

}  // namespace pginit
