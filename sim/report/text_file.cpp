// SPDX-License-Identifier: MIT
#include "report/text_file.h"

#include <fstream>

namespace pginit {

bool write_text_file(const std::string& path, const std::string& text, std::string* why)
{
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.flush();
  if (!f) *why = "cannot write " + path;
  return static_cast<bool>(f);
}

}  // namespace pginit
