// SPDX-License-Identifier: MIT
// --explain has a text for every boot step --trace can print: every
// KernelFrame the source pushes is looked up here, so a new step without an
// explanation fails this test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "explain/explanations.h"

namespace pginit {
namespace {

TEST(Explanations, EveryKernelFrameHasOne)
{
  const std::regex frame(R"re(KernelFrame \w+\([\w.]+, "(\w+)"\))re");
  int frames = 0;
  for (const char* dir : {"/sim", "/model"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(PGINIT_SOURCE_DIR) + dir)) {
      if (e.path().extension() != ".cpp") continue;
      std::ifstream f(e.path());
      std::stringstream text;
      text << f.rdbuf();
      const std::string s = text.str();
      for (std::sregex_iterator it(s.begin(), s.end(), frame), end; it != end; ++it) {
        frames++;
        EXPECT_NE(find_explanation((*it)[1].str()), nullptr)
            << (*it)[1].str() << "() in " << e.path().filename() << " has no explanation";
      }
    }
  }
  EXPECT_GT(frames, 40);
}

TEST(Explanations, NameTheSourceFile)
{
  const Explanation* e = find_explanation("per_cpu_ptr_to_phys");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->file, "mm/percpu.c");
  EXPECT_EQ(find_explanation("no_such_function"), nullptr);
}

}  // namespace
}  // namespace pginit
