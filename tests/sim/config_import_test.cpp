// SPDX-License-Identifier: MIT
// import_config(): a real .config, reduced to what pginit models.
#include <gtest/gtest.h>

#include "import/config_import.h"
#include "scenario/input_error.h"

namespace pginit {
namespace {

TEST(ConfigImport, KeepsKnownSymbolsAndListsTheRest)
{
  const ImportedConfig c = import_config(
      "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
      "CONFIG_64BIT=y\n"
      "CONFIG_SMP=y\n"
      "# CONFIG_SPARSEMEM_VMEMMAP is not set\n"
      "CONFIG_NODES_SHIFT=10\n"
      "CONFIG_DEFERRED_STRUCT_PAGE_INIT=y\n"
      "CONFIG_LOCALVERSION=\"\"\n"
      "\n"
      "CONFIG_ZONE_DEVICE=m\n",
      "config-4.18");
  EXPECT_EQ(c.values.at("SMP"), "y");
  EXPECT_EQ(c.values.at("SPARSEMEM_VMEMMAP"), "n");
  EXPECT_EQ(c.values.at("NODES_SHIFT"), "10");
  EXPECT_EQ(c.values.at("ZONE_DEVICE"), "y");
  EXPECT_EQ(c.values.size(), 5u);
  EXPECT_EQ(c.ignored, (std::vector<std::string>{"64BIT", "LOCALVERSION"}));
}

void expect_error(const std::string& text, int line, const std::string& what)
{
  try {
    (void)import_config(text, "bad.config");
    ADD_FAILURE() << "no error for: " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(ConfigImport, NamesTheBadLine)
{
  expect_error("", 0, "empty file");
  expect_error("CONFIG_SMP=y\nSMP=y\n", 2, "not a .config line");
  expect_error("CONFIG_SMP=maybe\n", 1, "CONFIG_SMP: 'maybe' is not y or n");
  expect_error("CONFIG_NODES_SHIFT=12\n", 1, "CONFIG_NODES_SHIFT: 12 is outside 1..10");
  expect_error("CONFIG_S MP=y\n", 1, "not a Kconfig symbol name");
  expect_error(std::string("CONFIG_SMP=y\n\0\n", 15), 2, "binary data");
}

}  // namespace
}  // namespace pginit
