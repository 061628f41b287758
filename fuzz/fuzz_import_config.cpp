// SPDX-License-Identifier: MIT
// Fuzz target: import config (a Kconfig .config).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "import/config_import.h"
#include "scenario/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  try {
    (void)pginit::import_config(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.config");
  } catch (const pginit::InputError&) {
  }
  return 0;
}
