// SPDX-License-Identifier: MIT
// memblock_command.cpp - `pginit memblock SCRIPT`.
#include <iostream>

#include "cli/commands.h"
#include "scenario/input_file.h"
#include "script/memblock_script.h"

namespace pginit {

int memblock_command(const std::string& script, bool verbose)
{
  return run_memblock_script(read_input_file(script, "script"), script, std::cout, std::cerr, verbose);
}

}  // namespace pginit
