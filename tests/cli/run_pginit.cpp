// SPDX-License-Identifier: MIT
#include "run_pginit.h"

#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace pginit::test {

namespace {

std::string temp_dir()
{
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string name = info != nullptr ? fmt::format("{}.{}", info->test_suite_name(), info->name()) : "none";
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("pginit-tests-{}", ::getpid()) / name;
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string slurp(const std::string& path)
{
  std::ifstream f(path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

std::vector<std::string> source_files(const std::string& folder, const std::string& extension)
{
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(PGINIT_SOURCE_DIR) + "/" + folder))
    if (e.path().extension() == extension) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string test_name_for(const std::string& path)
{
  std::string n = std::filesystem::path(path).stem().string();
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

std::string write_temp_file(const std::string& name, const std::string& content)
{
  const std::string path = temp_dir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

Ran run_pginit(const std::string& args)
{
  const std::string dir = temp_dir();
  const std::string out = dir + "/stdout";
  const std::string err = dir + "/stderr";
  const std::string cmd = fmt::format("'{}' {} >'{}' 2>'{}' </dev/null", PGINIT_BINARY, args, out, err);
  const int raw = std::system(cmd.c_str());
  Ran r;
  r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace pginit::test
