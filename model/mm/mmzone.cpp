// SPDX-License-Identifier: MIT
#include "include/linux/mmzone.h"

#include <algorithm>

namespace pginit {

zone* zone_of_pfn(pglist_data& pgdat, pfn_t pfn, unsigned* zid)
{
  for (std::size_t i = 0; i < pgdat.node_zones.size(); i++) {
    if (pgdat.node_zones[i].zone_spans_pfn(pfn)) {
      if (zid != nullptr) *zid = static_cast<unsigned>(i);
      return &pgdat.node_zones[i];
    }
  }
  return nullptr;
}

const zone* zone_of_pfn(const pglist_data& pgdat, pfn_t pfn, unsigned* zid)
{
  return zone_of_pfn(const_cast<pglist_data&>(pgdat), pfn, zid);
}

std::string_view zone_name(ZoneType t)
{
  switch (t) {
    case ZoneType::dma: return "DMA";
    case ZoneType::dma32: return "DMA32";
    case ZoneType::normal: return "Normal";
    case ZoneType::movable: return "Movable";
    case ZoneType::device: return "Device";
  }
  return "?";
}

ZoneConfig ZoneConfig::from_config(const KconfigValues& config)
{
  ZoneConfig z;
  if (kconfig_enabled(config, "ZONE_DMA")) z.types.push_back(ZoneType::dma);
  if (kconfig_enabled(config, "ZONE_DMA32")) z.types.push_back(ZoneType::dma32);
  z.types.push_back(ZoneType::normal);
  z.types.push_back(ZoneType::movable);
  if (kconfig_enabled(config, "ZONE_DEVICE")) z.types.push_back(ZoneType::device);
  return z;
}

void zone::init_free_lists(int zone_idx)
{
  // struct zone lives in NODE_DATA, which pginit does not allocate; the heads
  // get addresses in the unused top 16 MiB below the fixmap instead, 4 KiB per zone.
  constexpr kva_t FREE_LIST_HEADS = 0xfffffffffe000000;
  const kva_t base = FREE_LIST_HEADS + (static_cast<kva_t>(node) * 8 + static_cast<kva_t>(zone_idx)) * PAGE_SIZE;
  for (unsigned order = 0; order < MAX_ORDER; order++)
    for (unsigned mt = 0; mt < MIGRATE_TYPES; mt++)
      free_area[order].free_list[mt].head = base + (order * MIGRATE_TYPES + mt) * 16;
}

int ZoneConfig::index_of(ZoneType t) const
{
  auto it = std::find(types.begin(), types.end(), t);
  return it == types.end() ? -1 : static_cast<int>(it - types.begin());
}

}  // namespace pginit
