// SPDX-License-Identifier: MIT
#include "import/config_import.h"

#include <fmt/format.h>

#include "scenario/input_error.h"

namespace pginit {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_symbol(std::string_view name)
{
  return !name.empty() &&
         name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
             std::string_view::npos;
}

}  // namespace

ImportedConfig import_config(std::string_view text, const std::string& file)
{
  ImportedConfig out;
  if (text.empty()) throw InputError(file, 0, "", "empty file: not a Kconfig .config");
  int lineno = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    lineno++;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos)
      throw InputError(file, lineno, "", "binary data (NUL byte): not a Kconfig .config");

    std::string_view name;
    std::string value;
    if (starts_with(line, "# CONFIG_") && line.size() > 13 && line.substr(line.size() - 11) == " is not set") {
      name = line.substr(9, line.size() - 9 - 11);
      value = "n";
    } else if (line.empty() || line.front() == '#') {
      continue;
    } else if (starts_with(line, "CONFIG_") && line.find('=') != std::string_view::npos) {
      const std::size_t eq = line.find('=');
      name = line.substr(7, eq - 7);
      value = std::string(line.substr(eq + 1));
    } else {
      throw InputError(file, lineno, "", fmt::format("not a .config line: '{}'", line.substr(0, 60)));
    }
    if (!is_symbol(name)) throw InputError(file, lineno, "", fmt::format("'{}' is not a Kconfig symbol name", name));

    const KconfigSymbol* known = find_kconfig_symbol(name);
    if (known == nullptr) {
      out.ignored.emplace_back(name);
      continue;
    }
    // Modules make no difference to boot-time memory init: "m" reads as "y".
    if (value == "m") value = "y";
    if (auto why = check_kconfig_value(*known, value))
      throw InputError(file, lineno, fmt::format("CONFIG_{}", name), *why);
    out.values[std::string(name)] = value;
  }
  return out;
}

}  // namespace pginit
