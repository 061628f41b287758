// SPDX-License-Identifier: MIT
// Fuzz target: the scenario loader. Any input either loads or is refused
// with an InputError; nothing else may happen.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/input_error.h"
#include "scenario/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  try {
    (void)pginit::parse_scenario(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  } catch (const pginit::InputError&) {
  }
  return 0;
}
