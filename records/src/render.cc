#include "hallvote/records/render.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "pdf.h"
#include "records_internal.h"

namespace hallvote::records {
namespace internal {
namespace {

// An id as it appears in a file name: [A-Za-z0-9.-] kept, any other byte (the '_' included) written "_xx" in
// lower-case hex. Injective, so two ids never share a file name ("议案一" and "议案二" differ in their last
// byte).
std::string file_part(std::string_view id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : id) {
    const bool keep =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (keep) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '_';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

}  // namespace

std::vector<PlannedDocument> plan_documents(const RecordSet& set) {
  std::vector<PlannedDocument> out;
  std::uint32_t announcements = 0;
  for (std::size_t v = 0; v < set.votes.size(); ++v) {
    const VoteRecord& vote = set.votes[v];
    const std::string id = file_part(vote.vote->id);
    switch (vote.vote->kind) {
      case session::VoteKind::choose:
        out.push_back({"announcement-" + id + ".pdf", DocumentKind::announcement, v, {}, ++announcements});
        break;
      case session::VoteKind::per_item: {
        std::vector<std::string> motions;
        for (const std::string& item : vote.rounds.back().parsed.adopted) {
          if (set.session->find_motion(item) != nullptr) motions.push_back(item);
        }
        for (const std::string& motion : motions) {
          const std::string name = motions.size() == 1 ? "decision-" + id + ".pdf"
                                                       : "decision-" + id + "-" + file_part(motion) + ".pdf";
          out.push_back({name, DocumentKind::decision, v, motion, 0});
        }
        break;
      }
      case session::VoteKind::satisfaction:
        out.push_back({"satisfaction-" + id + ".pdf", DocumentKind::satisfaction, v, {}, 0});
        break;
    }
    out.push_back({"tally-report-" + id + ".pdf", DocumentKind::tally_report, v, {}, 0});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::vector<AdoptedItem> adopted_items(const VoteRecord& vote) {
  std::vector<AdoptedItem> out;
  for (const std::string& id : vote.rounds.back().parsed.adopted) {
    AdoptedItem a;
    a.item_id = id;
    const ItemOutcome* found = nullptr;
    const ItemOutcome* any = nullptr;
    for (auto r = vote.rounds.rbegin(); r != vote.rounds.rend() && found == nullptr; ++r) {
      for (const ItemOutcome& item : r->parsed.items) {
        if (item.item_id != id) continue;
        if (any == nullptr) {
          any = &item;
          a.round = r->parsed.round;
        }
        if (item.verdict == session::Verdict::adopted) {
          found = &item;
          a.round = r->parsed.round;
        }
      }
    }
    const ItemOutcome* item = found != nullptr ? found : any;
    if (item != nullptr) {
      a.title = item->title;
      a.votes = item->totals.empty() ? 0 : item->totals.front();
      a.rank = item->rank;
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string checkpoint_payload(const CheckpointRef& checkpoint) {
  return "hallvote-checkpoint/v1 " + checkpoint.origin + " " + std::to_string(checkpoint.size) + " " +
         checkpoint.root_hex;
}

}  // namespace internal

Result<std::vector<RecordFile>> render_records(const RecordSet& set, const RenderOptions& options) {
  if (set.session == nullptr) return fail(RecordsErrc::render_failed, "record set without a session");
  const std::vector<internal::PlannedDocument> documents = internal::plan_documents(set);
  // Sorted by name: a repeated name would make one document overwrite another ("a-b" + "c" and "a" + "b-c").
  for (std::size_t i = 1; i < documents.size(); ++i) {
    if (documents[i].name == documents[i - 1].name) {
      return fail(RecordsErrc::invalid_file_name, "two documents would both be named " + documents[i].name +
                                                      ": rename a vote or motion id in the session file");
    }
  }
  std::vector<RecordFile> files;
  files.push_back({"results.json", "application/json", internal::results_json(set, documents)});
  files.push_back({"results.csv", "text/csv; charset=utf-8", internal::results_csv(set)});
  auto fonts = internal::FontSet::load(options.fonts);
  if (!fonts) return forward(fonts.error());
  for (const internal::PlannedDocument& document : documents) {
    auto bytes = internal::render_document(set, document, **fonts);
    if (!bytes) return forward(bytes.error());
    files.push_back({document.name, "application/pdf", std::move(*bytes)});
  }
  std::sort(files.begin(), files.end(),
            [](const RecordFile& a, const RecordFile& b) { return a.name < b.name; });
  return files;
}

namespace {

Error io_error(const std::filesystem::path& path, std::string_view what, int error) {
  return Error{make_error_code(RecordsErrc::io_error),
               path.string() + ": " + std::string(what) + ": " + std::generic_category().message(error)};
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return tl::unexpected(io_error(path, "write", errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Status write_one(const RecordFile& file, const std::filesystem::path& directory) {
  const std::filesystem::path target = directory / file.name;
  const std::filesystem::path temporary = directory / ("." + file.name + ".tmp");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return tl::unexpected(io_error(temporary, "open", errno));
  Status written = write_all(fd, file.bytes, temporary);
  if (written && ::fsync(fd) != 0) written = tl::unexpected(io_error(temporary, "fsync", errno));
  if (::close(fd) != 0 && written) written = tl::unexpected(io_error(temporary, "close", errno));
  if (written && ::rename(temporary.c_str(), target.c_str()) != 0) {
    written = tl::unexpected(io_error(target, "rename", errno));
  }
  if (!written) ::unlink(temporary.c_str());
  return written;
}

}  // namespace

Status write_records(const std::vector<RecordFile>& files, const std::filesystem::path& directory) {
  for (const RecordFile& file : files) {
    if (file.name.empty() || file.name == "." || file.name == ".." ||
        file.name.find('/') != std::string::npos || file.name.find('\0') != std::string::npos) {
      return fail(RecordsErrc::invalid_file_name, "'" + file.name + "'");
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return fail(RecordsErrc::io_error, directory.string() + ": create directory: " + ec.message());
  for (const RecordFile& file : files) {
    if (auto ok = write_one(file, directory); !ok) return ok;
  }
  const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return tl::unexpected(io_error(directory, "open directory", errno));
  const int synced = ::fsync(dir);
  const int error = errno;
  ::close(dir);
  if (synced != 0) return tl::unexpected(io_error(directory, "fsync directory", error));
  return {};
}

}  // namespace hallvote::records
