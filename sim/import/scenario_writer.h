// SPDX-License-Identifier: MIT
// scenario_writer.h - an imported machine written out as scenario YAML
// (docs/scenarios.md), with the importer's notes as comments.
#pragma once

#include <string>

#include "import/dmesg_import.h"

namespace pginit {

std::string scenario_yaml(const ImportedScenario& s, const std::string& name);
// A `config:` block alone, for `pginit import config`.
std::string config_yaml(const KconfigValues& values);

}  // namespace pginit
