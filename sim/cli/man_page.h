// SPDX-License-Identifier: MIT
// man_page.h - pginit(1) in troff (man macros), written from the CLI11
// table that --help prints: each command's synopsis, text and options; the
// table's footer gives the EXIT STATUS and ENVIRONMENT sections.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace pginit {

std::string man_page(const CLI::App& app, const std::string& version);

}  // namespace pginit
