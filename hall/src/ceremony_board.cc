#include "hallvote/hall/ceremony_board.h"

#include <algorithm>
#include <system_error>

#include "hallvote/hall/files.h"

namespace hallvote::setup {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCallFile = "call.json";
// A deal to 255 members is about 45 KB; anything far larger is not a ceremony message.
constexpr std::uintmax_t kMaxFileBytes = 1 << 20;

std::string message_file_name(const protocol::CeremonyMessage& m) {
  const auto position = std::find(protocol::kCeremonySteps.begin(), protocol::kCeremonySteps.end(), m.step) -
                        protocol::kCeremonySteps.begin() + 1;
  return std::to_string(position) + "-" + std::string(protocol::to_string(m.step)) + "-" + m.member + ".json";
}

Result<nlohmann::json> read_json_file(const fs::path& path) {
  std::error_code error;
  const auto status = fs::symlink_status(path, error);
  if (error || !fs::is_regular_file(status) || fs::file_size(path, error) > kMaxFileBytes || error) {
    return fail(
        std::errc::invalid_argument,
        path.filename().string() + " 不是普通文件或超过 1 MiB / is not a regular file of at most 1 MiB");
  }
  auto text = setup::read_text(path);
  if (!text) return forward(text.error());
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) {
    return fail(std::errc::invalid_argument, path.filename().string() + " 不是有效的 JSON / " +
                                                 path.filename().string() + " is not valid JSON");
  }
  return json;
}

// Member ids go into file names: only what the session format allows in an id.
bool safe_in_file_name(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

Status CeremonyBoard::write_call(const protocol::CeremonyCall& call) const {
  std::error_code error;
  fs::create_directories(folder_, error);
  if (error) {
    return fail(error, "无法创建仪式目录 / cannot create the ceremony folder " + folder_.string());
  }
  for (const auto& entry : fs::directory_iterator(folder_, error)) {
    if (entry.path().extension() == ".json") {
      return fail(std::errc::file_exists, folder_.string() +
                                              " 已有仪式文件；新的仪式请用新目录 / already holds a ceremony; "
                                              "use a new folder for a new attempt");
    }
  }
  return setup::write_file(folder_ / kCallFile, call.to_json().dump(2) + "\n", setup::FileMode::plain);
}

Result<protocol::CeremonyCall> CeremonyBoard::read_call() const {
  auto json = read_json_file(folder_ / kCallFile);
  if (!json) return forward(json.error());
  return protocol::CeremonyCall::from_json(*json);
}

Status CeremonyBoard::post(const protocol::CeremonyMessage& message) const {
  if (!safe_in_file_name(message.member)) {
    return fail(std::errc::invalid_argument, "成员编号不能用作文件名 / member id unfit for a file name");
  }
  const fs::path path = folder_ / message_file_name(message);
  if (fs::exists(path)) {
    auto earlier = read_json_file(path);
    if (earlier && *earlier == message.to_json()) return {};
    return fail(std::errc::file_exists, path.filename().string() +
                                            " 已有另一份消息，拒绝覆盖 / already holds another message; not "
                                            "replaced");
  }
  return setup::write_file(path, message.to_json().dump(2) + "\n", setup::FileMode::plain);
}

Result<std::vector<BoardFile>> CeremonyBoard::read() const {
  std::error_code error;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(folder_, error)) {
    const fs::path& path = entry.path();
    if (path.extension() == ".json" && path.filename() != kCallFile) paths.push_back(path);
  }
  if (error) return fail(error, "无法读取仪式目录 / cannot read the ceremony folder " + folder_.string());
  std::sort(paths.begin(), paths.end());
  std::vector<BoardFile> files;
  for (const auto& path : paths) {
    const std::string name = path.filename().string();
    auto json = read_json_file(path);
    Result<protocol::CeremonyMessage> message = json ? protocol::CeremonyMessage::from_json(*json, name)
                                                     : Result<protocol::CeremonyMessage>(forward(json.error()));
    // A message lives under its own name only: a copy under a name that sorts first must not win.
    if (message && message_file_name(*message) != name) {
      message = fail(std::errc::invalid_argument, name + " 的文件名与其中的消息不符（应为 " +
                                                      message_file_name(*message) +
                                                      "）/ the file name does not match its message");
    }
    files.push_back({name, std::move(message)});
  }
  return files;
}

Result<protocol::CeremonyTranscript> load_board(const CeremonyBoard& board, bool strict,
                                                std::vector<std::string>* refused) {
  auto call = board.read_call();
  if (!call) return forward(call.error());
  protocol::CeremonyTranscript transcript(*call);
  if (auto ok = read_board_into(board, transcript, strict, refused); !ok) return forward(ok.error());
  return transcript;
}

Status read_board_into(const CeremonyBoard& board, protocol::CeremonyTranscript& transcript, bool strict,
                       std::vector<std::string>* refused) {
  auto files = board.read();
  if (!files) return forward(files.error());
  // Steps in order, so that every join is in before the messages it signs for.
  for (const auto step : protocol::kCeremonySteps) {
    for (const auto& file : *files) {
      if (file.message && file.message->step != step) continue;
      if (!file.message && step != protocol::CeremonyStep::join) continue;
      Status added = file.message ? transcript.add(*file.message) : Status(forward(file.message.error()));
      if (added) continue;
      const std::string why = file.name + ": " + added.error().message();
      if (strict || added.error().code == protocol::CeremonyErrc::equivocation) {
        return fail(added.error().code, why);
      }
      if (refused != nullptr) refused->push_back(why);
    }
  }
  return {};
}

}  // namespace hallvote::setup
