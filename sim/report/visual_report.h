// SPDX-License-Identifier: MIT
// visual_report.h - pictures of a boot for people learning mm: the memory
// map (nodes, sections coloured by the phase that initialized their struct
// pages, reservations, violations) at three points of the boot, and a
// timeline of the boot steps and of each node's deferred work. As
// standalone SVG files (--svg DIR) or one self-contained HTML page
// (--report FILE: inline SVG and CSS, no scripts, nothing fetched).
#pragma once

#include <string>

#include "run/boot.h"

namespace pginit {

std::string memory_map_svg(const RunResult& r);
std::string timeline_svg(const RunResult& r);
std::string html_report(const RunResult& r);

// Write them; false (and *why) when a file cannot be written.
bool write_svgs(const RunResult& r, const std::string& dir, std::string* why);
bool write_html_report(const RunResult& r, const std::string& path, std::string* why);

}  // namespace pginit
