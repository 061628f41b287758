// SPDX-License-Identifier: MIT
// Kconfig rules per version (model/kconfig/kconfig_rules.h) and how a
// release string picks its version, stable backports included
// (sim/policy/kernel_version.cpp nearest_kernel_version()).
#include <gtest/gtest.h>

#include "kconfig/kconfig_rules.h"
#include "policy/kernel_version.h"

namespace pginit {
namespace {

KconfigValues with(std::initializer_list<std::pair<const char*, const char*>> set)
{
  KconfigValues v = default_kconfig_values();
  for (const auto& [sym, value] : set) v[sym] = value;
  return v;
}

// arch/x86/Kconfig: "config X86_5LEVEL ... select SPARSEMEM_VMEMMAP" is in
// the 4.17 tree, not in 4.15's (whose X86_5LEVEL only depends on X86_64).
TEST(KconfigRulesPerVersion, X86_5LevelSelectsVmemmapFromV4_17)
{
  const KconfigValues v = with({{"X86_5LEVEL", "y"}, {"SPARSEMEM_VMEMMAP", "n"}});
  EXPECT_EQ(resolve_kconfig(v, {"X86_5LEVEL", "SPARSEMEM_VMEMMAP"}, kconfig_rules::v4_17).values.at("SPARSEMEM_VMEMMAP"),
            "y");
  EXPECT_EQ(resolve_kconfig(v, {"X86_5LEVEL", "SPARSEMEM_VMEMMAP"}, kconfig_rules::v4_15).values.at("SPARSEMEM_VMEMMAP"),
            "n");
  EXPECT_EQ(resolve_kconfig(v, {"X86_5LEVEL", "SPARSEMEM_VMEMMAP"}, kconfig_rules::v4_16).values.at("SPARSEMEM_VMEMMAP"),
            "n");
  EXPECT_EQ(find_kernel_version("v4.16")->kconfig_rules.x86_5level_selects_vmemmap, false);
  EXPECT_EQ(find_kernel_version("v4.17")->kconfig_rules.x86_5level_selects_vmemmap, true);
}

// mm/Kconfig: 4.16.13 already has "depends on !NEED_PER_CPU_KM" (the stable
// backport of ab1e8d8960b6), so a !SMP config loses DEFERRED_STRUCT_PAGE_INIT
// there, as in v4.17, while v4.16.0 keeps it: the seed bug's configuration.
TEST(KconfigRulesPerVersion, StableBackportOfTheNeedPerCpuKmDependency)
{
  const KconfigValues v = with({{"SMP", "n"}, {"DEFERRED_STRUCT_PAGE_INIT", "y"}});
  const std::vector<std::string> set{"SMP", "DEFERRED_STRUCT_PAGE_INIT"};
  EXPECT_EQ(resolve_kconfig(v, set, find_kernel_version("v4.16")->kconfig_rules).values.at("DEFERRED_STRUCT_PAGE_INIT"),
            "y");
  EXPECT_EQ(
      resolve_kconfig(v, set, find_kernel_version("v4.16.13")->kconfig_rules).values.at("DEFERRED_STRUCT_PAGE_INIT"),
      "n");
}

TEST(KconfigRulesPerVersion, ReleaseStringsPickTheirVersion)
{
  std::string note;
  EXPECT_EQ(nearest_kernel_version("4.16.13", &note)->name, "v4.16.13");
  EXPECT_EQ(nearest_kernel_version("4.16.18-300.fc28.x86_64", &note)->name, "v4.16.13");
  EXPECT_EQ(nearest_kernel_version("4.16.5", &note)->name, "v4.16");
  EXPECT_EQ(nearest_kernel_version("4.16.0-rc3", &note)->name, "v4.15");
  EXPECT_EQ(nearest_kernel_version("4.17.0-rc1", &note)->name, "v4.17-rc");
  EXPECT_EQ(nearest_kernel_version("6.1.0-57-cloud-amd64", &note)->name, "v6.1");
  note.clear();
  EXPECT_EQ(nearest_kernel_version("5.10.0-30-amd64", &note)->name, "v5.8");
  EXPECT_NE(note.find("not modelled"), std::string::npos);
}

// Distribution kernels: RHEL 7's 3.10 (3.18's layout and deferred init
// backported) and RHEL 8's 4.18 (124049decbb1 reverted, 907ec5fca3dc
// backported) have rows of their own; other builds get their upstream base
// and a note saying so.
TEST(KconfigRulesPerVersion, DistributionKernels)
{
  std::string note;
  EXPECT_EQ(nearest_kernel_version("3.10.0-1160.76.1.el7.x86_64", &note)->name, "v3.10-el7");
  EXPECT_EQ(nearest_kernel_version("4.18.0-147.el8.x86_64", &note)->name, "v4.18-el8");
  EXPECT_EQ(nearest_kernel_version("6.1.0-57-cloud-amd64", &note)->name, "v6.1");
  EXPECT_TRUE(note.empty()) << note;
  EXPECT_EQ(nearest_kernel_version("3.10.99", &note)->name, "v3.10");  // upstream 3.10: not RHEL's
  EXPECT_EQ(nearest_kernel_version("4.4.0-64-generic", &note)->name, "v4.4");
  EXPECT_NE(note.find("distribution's build"), std::string::npos) << note;
}

// mm/Kconfig's device-memory symbols (the 4.9.115, 4.14.5, 4.17, 5.2.1,
// 5.8.1 and 6.1 trees): none before v4.14; ARCH_HAS_HMM and HMM's selects in
// v4.14 - v5.2; DEVICE_PRIVATE on ZONE_DEVICE alone, DEVICE_PUBLIC gone by v5.8.
TEST(KconfigRulesPerVersion, DeviceMemorySymbols)
{
  const KconfigValues v = with({{"ZONE_DEVICE", "y"}, {"DEVICE_PRIVATE", "y"}, {"DEVICE_PUBLIC", "y"}});
  const std::vector<std::string> user{"ZONE_DEVICE", "DEVICE_PRIVATE", "DEVICE_PUBLIC"};
  const auto resolved = [&](const char* version) {
    return resolve_kconfig(v, user, find_kernel_version(version)->kconfig_rules).values;
  };
  const KconfigValues v49 = resolved("v4.9");
  EXPECT_EQ(v49.at("ZONE_DEVICE"), "y");
  EXPECT_EQ(v49.at("DEVICE_PRIVATE"), "n");
  EXPECT_EQ(v49.at("HMM"), "n");
  for (const char* hmm_era : {"v4.14", "v4.17", "v4.19", "v5.2"}) {
    const KconfigValues r = resolved(hmm_era);
    EXPECT_EQ(r.at("ARCH_HAS_HMM"), "y") << hmm_era;
    EXPECT_EQ(r.at("DEVICE_PRIVATE"), "y") << hmm_era;
    EXPECT_EQ(r.at("DEVICE_PUBLIC"), "y") << hmm_era;
    EXPECT_EQ(r.at("HMM"), "y") << hmm_era << ": selected";
  }
  // Without ZONE_DEVICE there is no ARCH_HAS_HMM, so no HMM memory either.
  KconfigValues no_zd = v;
  no_zd["ZONE_DEVICE"] = "n";
  const KconfigValues r417 = resolve_kconfig(no_zd, user, find_kernel_version("v4.17")->kconfig_rules).values;
  EXPECT_EQ(r417.at("ARCH_HAS_HMM"), "n");
  EXPECT_EQ(r417.at("DEVICE_PRIVATE"), "n");
  EXPECT_EQ(r417.at("HMM"), "n");
  for (const char* modern : {"v5.8", "v6.1"}) {
    const KconfigValues r = resolved(modern);
    EXPECT_EQ(r.at("DEVICE_PRIVATE"), "y") << modern;
    EXPECT_EQ(r.at("DEVICE_PUBLIC"), "n") << modern;
    EXPECT_EQ(r.at("ARCH_HAS_HMM"), "n") << modern;
  }
  EXPECT_EQ(resolve_kconfig(no_zd, user, find_kernel_version("v6.1")->kconfig_rules).values.at("DEVICE_PRIVATE"), "n");
  EXPECT_NE(device_memory_of(resolved("v4.17")).find("DEVICE_PUBLIC"), std::string::npos);
  EXPECT_EQ(device_memory_of(resolved("v6.1")).find("DEVICE_PUBLIC"), std::string::npos);
}

}  // namespace
}  // namespace pginit
