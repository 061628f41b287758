// SPDX-License-Identifier: MIT
#include "mmzone.h"

#include <algorithm>

namespace pginit {

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

int ZoneConfig::index_of(ZoneType t) const
{
  auto it = std::find(types.begin(), types.end(), t);
  return it == types.end() ? -1 : static_cast<int>(it - types.begin());
}

}  // namespace pginit
