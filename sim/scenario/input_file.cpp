// SPDX-License-Identifier: MIT
#include "scenario/input_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/input_error.h"

namespace pginit {

std::string read_input_file(const std::string& path, const std::string& what)
{
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path, 0, "", "cannot read the " + what + " file: it is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path, 0, "", "cannot read the " + what + " file: " + std::strerror(errno));
  std::ostringstream text;
  text << f.rdbuf();
  return text.str();
}

}  // namespace pginit
