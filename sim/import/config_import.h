// SPDX-License-Identifier: MIT
// config_import.h - `pginit import config`: the symbols pginit models, read
// from a real Kconfig .config (e.g. /boot/config-$(uname -r)).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kconfig/kconfig.h"

namespace pginit {

struct ImportedConfig {
  KconfigValues values;              // known symbols, as the file sets them
  std::vector<std::string> ignored;  // symbols pginit does not model, in file order
};

// Accepts "CONFIG_FOO=value", "# CONFIG_FOO is not set", comments and blank
// lines. Throws InputError (file, line, CONFIG_FOO) on anything else, and on
// a value that a known symbol cannot take.
ImportedConfig import_config(std::string_view text, const std::string& file);

}  // namespace pginit
