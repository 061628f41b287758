// SPDX-License-Identifier: MIT
#include "cli/man_page.h"

#include <sstream>

#include <fmt/format.h>

#include "cli/cli_walk.h"

namespace pginit {

namespace {

// Text as troff reads it inside a line: backslashes escaped, hyphens as \-
// (so that they copy as hyphens).
std::string roff_inline(const std::string& text)
{
  std::string out;
  for (char ch : text) {
    if (ch == '\\') out += "\\e";
    else if (ch == '-') out += "\\-";
    else out += ch;
  }
  return out;
}

// Whole lines: no line may start with a control character.
std::string roff(const std::string& text)
{
  std::string lines;
  std::istringstream in(roff_inline(text));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && (line[0] == '.' || line[0] == '\'')) line = "\\&" + line;
    lines += line + "\n";
  }
  return lines;
}

std::string synopsis(const CliCommand& c)
{
  std::string s = fmt::format(".B pginit{}\n", c.path.empty() ? "" : " " + c.path);
  if (!c.subcommands.empty()) s += ".I COMMAND\n";
  if (!c.options.empty()) s += "[\\fIOPTIONS\\fR]\n";
  for (const CLI::Option* p : c.positionals) {
    const bool many = p->get_items_expected_max() > 1;
    s += fmt::format("{}\\fI{}\\fR{}{}\n", p->get_required() ? "" : "[", p->get_name(), many ? "..." : "",
                     p->get_required() ? "" : "]");
  }
  return s;
}

std::string options(const CliCommand& c)
{
  std::string s;
  for (const CLI::Option* p : c.positionals)
    s += fmt::format(".TP\n.I {}\n{}", p->get_name(), roff(p->get_description()));
  for (const CLI::Option* o : c.options) {
    const std::string value = option_value(*o);
    s += fmt::format(".TP\n\\fB{}\\fR{}\n{}", roff_inline(option_names(*o)), value.empty() ? "" : " \\fI" + value + "\\fR",
                     roff(o->get_description()));
  }
  return s;
}

}  // namespace

std::string man_page(const CLI::App& app, const std::string& version)
{
  const std::vector<CliCommand> commands = walk_cli(app);
  std::string s = fmt::format(".TH PGINIT 1 \"\" \"pginit {}\" \"User Commands\"\n", version);
  s += ".SH NAME\npginit \\- " + roff(app.get_description().substr(app.get_description().find(": ") + 2));
  s += ".SH SYNOPSIS\n";
  for (const CliCommand& c : commands)
    if (c.subcommands.empty() || c.path.empty()) s += synopsis(c) + ".br\n";
  s += ".SH DESCRIPTION\n" + roff(app.get_description());
  s += ".SH OPTIONS\n" + options(commands.front());
  s += ".SH COMMANDS\n";
  for (std::size_t i = 1; i < commands.size(); i++) {
    const CliCommand& c = commands[i];
    s += fmt::format(".SS \"pginit {}\"\n", c.path) + roff(c.app->get_description());
    s += ".PP\n" + synopsis(c) + options(c);
  }
  // The footer: "HEADING: text" paragraphs, one section each.
  std::istringstream footer(app.get_footer());
  for (std::string line; std::getline(footer, line);) {
    const std::size_t colon = line.find(": ");
    if (colon == std::string::npos) {
      s += roff(line);
      continue;
    }
    std::string heading = line.substr(0, colon);
    for (char& ch : heading) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    s += fmt::format(".SH {}\n", heading) + roff(line.substr(colon + 2));
  }
  s += ".SH SEE ALSO\nThe scenario format, the tour and the kernel facts: docs/ in the pginit sources.\n";
  return s;
}

}  // namespace pginit
