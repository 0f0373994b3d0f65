// libFuzzer target for the session loaders (docs/session-format.md): the TOML session file, the CSV reader and
// the roster and project importers. The first input byte picks the loader. Invariants: nothing crashes or
// throws; a session parses to a definition exactly when no diagnostic was reported; every diagnostic names its
// file. Built by the fuzz preset, run by tests/fuzz/run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hallvote/session/csv_import.h"
#include "hallvote/session/loader.h"

namespace hs = hallvote::session;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      // CSV files named by the session are not there: the loader must report that, not fail.
      const hs::FileReader no_files = [](const std::string& path) -> hallvote::Result<std::string> {
        return hallvote::fail(std::errc::no_such_file_or_directory, path);
      };
      const hs::LoadReport report = hs::parse_session(text, "fuzz.toml", no_files);
      if (report.definition.has_value() == !report.diagnostics.empty()) std::abort();
      break;
    }
    case 1: {
      hs::Diagnostics diagnostics;
      (void)hs::parse_csv(text, "fuzz.csv", diagnostics);
      break;
    }
    case 2: {
      hs::Diagnostics diagnostics;
      (void)hs::import_roster_csv(text, "roster.csv", diagnostics);
      break;
    }
    case 3: {
      hs::Diagnostics diagnostics;
      (void)hs::import_projects_csv(text, "projects.csv", diagnostics);
      break;
    }
  }
  return 0;
}
