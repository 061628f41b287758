// SPDX-License-Identifier: MIT
// import_command.cpp - `pginit import dmesg` and `pginit import config`.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "import/config_import.h"
#include "import/dmesg_import.h"
#include "import/scenario_writer.h"
#include "scenario/input_error.h"
#include "scenario/input_file.h"

namespace pginit {

namespace {

void write_output(const std::string& path, const std::string& text)
{
  if (path.empty() || path == "-") {
    std::cout << text;
    return;
  }
  std::ofstream f(path);
  f << text;
  f.flush();
  if (!f) throw InputError(path, 0, "-o", "cannot write the output file");
}

}  // namespace

int import_dmesg_command(const ImportOptions& opt)
{
  ImportedScenario imported = import_dmesg(read_input_file(opt.file, "kernel log"), opt.file);
  if (!opt.config.empty()) {
    // A .config knows better than what the log lets pginit guess.
    const ImportedConfig config = import_config(read_input_file(opt.config, ".config"), opt.config);
    for (const auto& [sym, value] : config.values) imported.config[sym] = value;
    imported.notes.push_back(fmt::format("config from {} ({} symbols)", opt.config, config.values.size()));
  }
  const std::string name =
      opt.name.empty() ? std::filesystem::path(opt.file).stem().string() : opt.name;
  const std::string yaml = scenario_yaml(imported, name);
  // What was written must load: the importer is held to the loader's rules.
  (void)parse_scenario(yaml, opt.out.empty() ? "<import>" : opt.out);
  write_output(opt.out, yaml);
  if (opt.verbose)
    for (const std::string& note : imported.notes) fmt::print(stderr, "pginit: {}: {}\n", opt.file, note);
  return EXIT_OK;
}

int import_config_command(const ImportOptions& opt)
{
  const ImportedConfig config = import_config(read_input_file(opt.file, ".config"), opt.file);
  write_output(opt.out, config_yaml(config.values));
  if (opt.verbose)
    for (const std::string& sym : config.ignored)
      fmt::print(stderr, "pginit: {}: ignored CONFIG_{} (not modelled)\n", opt.file, sym);
  return EXIT_OK;
}

}  // namespace pginit
