// SPDX-License-Identifier: MIT
// page_readers.h - kernel paths that read struct pages once the boot is
// done, replayed after page_alloc_init_late() when a scenario lists them in
// boot.readers. Each reports every page it reads to the observers
// (BootObserver::on_page_use); the checker decides, with the same two rules
// for every reader, whether the page could be trusted: initialized at all,
// and, for a reader of page_zone()/page_to_nid(), linked to the zone and
// node that span its pfn. A reader knows nothing of any particular bug.
#pragma once

#include "kernel/kernel.h"

namespace pginit {

// set_zone_contiguous() (mm/page_alloc.c, from page_alloc_init_late()):
// __pageblock_pfn_to_page() of every pageblock of every populated zone reads
// page_zone() of its first and last page; the first page in another zone
// marks the zone not contiguous and ends the walk.
void set_zone_contiguous(Kernel& k);

// kpageflags_read() (fs/proc/page.c) over the whole file, as `page-types -a
// 0-max` does: stable_page_flags() of every pfn_valid() pfn below max_pfn
// (below round_up(max_pfn, PAGES_PER_SECTION) where the version's
// get_max_dump_pfn() rounds up).
void kpageflags_read(Kernel& k);

// show_valid_zones() (drivers/base/memory.c) of every online memory block
// (128 MiB, one section: the x86_64 block size below 64 GiB of RAM), as
// the version reads it (ValidZonesRead): test_pages_in_a_zone() takes
// page_zone() of every MAX_ORDER_NR_PAGES-th pfn of the block.
void show_valid_zones(Kernel& k);

// The scenario's boot.readers, in order.
void run_page_readers(Kernel& k);

}  // namespace pginit
