// SPDX-License-Identifier: MIT
#include "cli/cli_walk.h"

namespace pginit {

namespace {

void walk(const CLI::App& app, const std::string& path, std::vector<CliCommand>& out)
{
  CliCommand c;
  c.path = path;
  c.app = &app;
  c.subcommands = app.get_subcommands([](const CLI::App*) { return true; });
  for (const CLI::Option* o : app.get_options()) (o->get_positional() ? c.positionals : c.options).push_back(o);
  out.push_back(c);
  for (const CLI::App* sub : c.subcommands) walk(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

}  // namespace

std::vector<CliCommand> walk_cli(const CLI::App& app)
{
  std::vector<CliCommand> out;
  walk(app, "", out);
  return out;
}

std::string option_names(const CLI::Option& o)
{
  std::string s;
  for (const std::string& n : o.get_snames()) s += (s.empty() ? "-" : ", -") + n;
  for (const std::string& n : o.get_lnames()) s += (s.empty() ? "--" : ", --") + n;
  return s;
}

std::string option_value(const CLI::Option& o)
{
  if (o.get_expected_max() == 0) return "";  // a flag
  // The table's type name (--kernel VERSION), without the checks CLI11 appends ("N:INT in [1 - 1024]").
  std::string name = o.get_type_name().substr(0, o.get_type_name().find(':'));
  if (name.empty() || name == "TEXT") name = "ARG";
  return o.get_expected_min() == 0 ? "[" + name + "]" : name;
}

}  // namespace pginit
