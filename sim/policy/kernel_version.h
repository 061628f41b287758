// SPDX-License-Identifier: MIT
// kernel_version.h - the kernel versions pginit models, by name.
//
// Everything that differs between kernel versions is a field here (or, for
// whole behaviours, a named policy built from it), never an `if (version...)`
// in the engine. A scenario's `kernel:` and `--kernel` pick one entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kconfig/kconfig_rules.h"
#include "policy/unavailable.h"

namespace pginit {

struct KernelVersion {
  std::string_view name;     // what scenarios and --kernel say: "v4.17"
  std::string_view release;  // what `uname -r` would start with
  std::string_view summary;  // why this version is modelled
  // "e820: BIOS-provided physical RAM map:" until v4.17; the prefix is gone
  // in v4.18-based logs (see docs/kernel-versions.md).
  bool e820_prefixed_map_header;
  // zone_batchsize() caps a zone's pcp batch at this many bytes of pages:
  // 512 KiB (LIFO batch 31) until d8a759b57035 doubled it in v4.19 (63).
  unsigned long zone_batch_cap_bytes;
  // The struct page init policy this version uses by default (init_policy.h).
  std::string_view init_policy;
  // zero_resv_unavail(): which pfns, when, and the line (unavailable.h;
  // kernel-v4.17.md §3.5, §8).
  const UnavailableRule& zero_unavail;
  // Which mm/Kconfig rules resolve a config of this version.
  KconfigRules kconfig_rules;
  // memmap_init() walks the node's memblock ranges, not the zone span pfn by
  // pfn (73a6e474cb37, v5.8): holes inside a zone get no struct page there.
  bool memmap_init_by_ranges;
  // e820__memblock_setup() also reserves gaps and !RAM entries (124049decbb1,
  // v4.18 and v4.19; reverted by 9fd61bc95130 in v4.20).
  bool e820_reserves_non_ram;
  // GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS) as warn_alloc() prints
  // it: the ___GFP_* bits moved in v4.18 and again in v5.1 ("mm: shuffle
  // GFP_* flags"): include/linux/gfp.h.
  unsigned gfp_kernel;
  // What %p prints before the pointer-hashing key exists (lib/vsprintf.c
  // ptr_to_id()): "(ptrval)" right-justified in 16 columns until v4.17,
  // "(____ptrval____)" from v4.18.
  std::string_view ptrval;
};

const std::vector<KernelVersion>& modelled_kernel_versions();
const KernelVersion* find_kernel_version(std::string_view name);
// The modelled version closest to a `uname -r` release ("4.18.0-147.el8.x86_64"):
// the newest one not newer than it, or the oldest when all are newer. Sets
// *note to a sentence saying so when the match is not exact. nullptr when
// the release does not start with MAJOR.MINOR.
const KernelVersion* nearest_kernel_version(std::string_view release, std::string* note);
// "v4.15, v4.16, ..." for error messages and --help.
std::string kernel_version_names();

}  // namespace pginit
