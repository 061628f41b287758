// SPDX-License-Identifier: MIT
// Fuzz target: the memblock script runner (and so memblock itself).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "scenario/input_error.h"
#include "script/memblock_script.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::ostringstream out;
  std::ostringstream err;
  try {
    (void)pginit::run_memblock_script(std::string(reinterpret_cast<const char*>(data), size), "fuzz.mb", out, err, true);
  } catch (const pginit::InputError&) {
  }
  return 0;
}
