// SPDX-License-Identifier: MIT
// memblock_command.cpp - `pginit memblock SCRIPT`.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "scenario/input_error.h"
#include "script/memblock_script.h"

namespace pginit {

int memblock_command(const std::string& script, bool verbose)
{
  std::ifstream f(script);
  if (!f) throw InputError(script, 0, "", "cannot read the script file");
  std::ostringstream text;
  text << f.rdbuf();
  return run_memblock_script(text.str(), script, std::cout, std::cerr, verbose);
}

}  // namespace pginit
