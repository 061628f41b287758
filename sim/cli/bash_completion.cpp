// SPDX-License-Identifier: MIT
#include "cli/bash_completion.h"

#include <fmt/format.h>

#include "cli/cli_walk.h"

namespace pginit {

namespace {

std::string words(const std::vector<std::string>& ws)
{
  std::string s;
  for (const std::string& w : ws) s += (s.empty() ? "" : " ") + w;
  return s;
}

}  // namespace

std::string bash_completion(const CLI::App& app)
{
  const std::vector<CliCommand> commands = walk_cli(app);
  // Which words on the line so far extend the command path ("kconfig check").
  std::string steps;
  std::string tables;
  for (const CliCommand& c : commands) {
    std::vector<std::string> subs;
    for (const CLI::App* sub : c.subcommands) {
      subs.push_back(sub->get_name());
      steps += fmt::format("            \"{} {}\") path=\"$path {}\" ;;\n", c.path.empty() ? "" : " " + c.path,
                           sub->get_name(), sub->get_name());
    }
    std::vector<std::string> opts;
    for (const CLI::Option* o : c.options) {
      for (const std::string& n : o->get_snames()) opts.push_back("-" + n);
      for (const std::string& n : o->get_lnames()) opts.push_back("--" + n);
    }
    tables += fmt::format("        \"{}\") subs=\"{}\" opts=\"{}\" ;;\n", c.path.empty() ? "" : " " + c.path,
                          words(subs), words(opts));
  }
  return fmt::format(R"(# bash completion for pginit(1): generated from its option table (sim/cli/cli_app.cpp).
_pginit()
{{
    local cur=${{COMP_WORDS[COMP_CWORD]}} path="" subs="" opts="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "$path ${{COMP_WORDS[i]}}" in
{}        esac
    done
    case "$path" in
{}    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ -n $subs ]]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F _pginit pginit
)",
                     steps, tables);
}

}  // namespace pginit
