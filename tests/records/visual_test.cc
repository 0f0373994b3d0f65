// The visual regression test of the records (docs/records.md §7): every page of every PDF of the synthetic
// 汉阴 session, rendered to PNG by pdftoppm at 72 dpi in black and white (-mono), must equal the reference
// image committed under docs/records/ byte for byte (the fonts and poppler are pinned by Debian 12). On a
// mismatch the new page is written next to the build output (visual-records/<page>.png) and the test names it,
// so that the change is looked at before the references are replaced (HALLVOTE_UPDATE_RECORD_IMAGES=1 writes
// them into docs/records/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "hallvote/records/collect.h"
#include "hallvote/records/render.h"
#include "log_fixture.h"

namespace hallvote::records {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(RecordImages, EveryPageMatchesItsReference) {
  if (std::system("command -v pdftoppm >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "pdftoppm (poppler-utils) missing";
  const testing::SyntheticLog log = testing::make_log();
  auto set = collect_records(log.session, log.entries, log.notes);
  ASSERT_TRUE(set.has_value()) << set.error().message();
  auto files = render_records(*set);
  ASSERT_TRUE(files.has_value()) << files.error().message();

  const fs::path references = fs::path(HALLVOTE_SOURCE_DIR) / "docs" / "records";
  const fs::path work = fs::temp_directory_path() / ("hallvote-record-images-" + std::to_string(::getpid()));
  const fs::path failed = fs::current_path() / "visual-records";
  const bool update = std::getenv("HALLVOTE_UPDATE_RECORD_IMAGES") != nullptr;
  fs::remove_all(work);
  fs::create_directories(work);
  std::set<std::string> pages;
  for (const RecordFile& f : *files) {
    if (!f.name.ends_with(".pdf")) continue;
    const std::string stem = f.name.substr(0, f.name.size() - 4);
    std::ofstream(work / f.name, std::ios::binary) << f.bytes;
    const std::string command =
        "pdftoppm -r 72 -mono -png '" + (work / f.name).string() + "' '" + (work / stem).string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  for (const auto& entry : fs::directory_iterator(work)) {
    if (entry.path().extension() != ".png") continue;
    const std::string page = entry.path().filename().string();
    pages.insert(page);
    const std::string image = read(entry.path());
    if (update) {
      std::ofstream(references / page, std::ios::binary) << image;
      continue;
    }
    if (!fs::exists(references / page) || read(references / page) != image) {
      fs::create_directories(failed);
      fs::copy_file(entry.path(), failed / page, fs::copy_options::overwrite_existing);
      ADD_FAILURE() << "page " << page << " differs from docs/records/" << page << "; the new page is "
                    << (failed / page).string();
    }
  }
  // No reference page is left without a rendered page (a document lost a page or disappeared).
  for (const auto& entry : fs::directory_iterator(references)) {
    if (entry.path().extension() != ".png") continue;
    if (pages.count(entry.path().filename().string()) == 0) {
      if (update) {
        fs::remove(entry.path());
      } else {
        ADD_FAILURE() << "docs/records/" << entry.path().filename().string() << " has no rendered page";
      }
    }
  }
  EXPECT_FALSE(pages.empty());
  fs::remove_all(work);
}

}  // namespace
}  // namespace hallvote::records
