// SPDX-License-Identifier: MIT
#include "cli/boot_progress.h"

#include <fmt/format.h>

#include "kernel/kernel.h"

namespace pginit {

void BootProgress::on_call(const Kernel& k, std::size_t depth, const char* fn)
{
  // start_kernel()'s steps and theirs (paging_init() allocates the memmap)
  // name what is running.
  if (depth == 2 || depth == 3) progress_.set_what(fmt::format("run: {}()", fn));
  // The nodes' present pages, as free_area_init_node() counts them node by
  // node (a few nodes: cheap enough for every call).
  std::uint64_t present = 0;
  for (const pglist_data& pgdat : k.nodes) present += pgdat.node_present_pages;
  if (present != 0) progress_.set_total(present);
}

void BootProgress::on_milestone(const Kernel&, std::string_view label)
{
  if (label.rfind("at the end", 0) == 0) progress_.set_what("run: the end-of-run proof");
}

}  // namespace pginit

