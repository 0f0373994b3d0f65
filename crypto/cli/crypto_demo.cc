// hallvote-crypto-demo: the cryptographic core of one vote, end to end, on one machine — the presidium's 3-of-5
// key ceremony, 250 deputies' 13选10 ballots encrypted with proofs and verified, the homomorphic tally, and
// threshold decryption by three of the five trustees (one forged share among them is named and skipped).
//
// Usage: hallvote-crypto-demo [--var DIR]   (key files are written under DIR, default var/demo)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "hallvote/common/terminal_text.h"
#include "hallvote/crypto/contest.h"
#include "hallvote/crypto/key_file.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/crypto/threshold.h"

namespace hv = hallvote::crypto;

namespace {

struct Trustee {
  std::string name;
  std::string role;
};

const std::vector<Trustee> kTrustees = {{"李建国", "主席团成员"},
                                        {"王秀英", "主席团成员"},
                                        {"张德明", "总监票人"},
                                        {"刘芳", "监票人"},
                                        {"陈志强", "监票人"}};

const std::vector<std::string> kProjects = {"城区义务教育学校扩容工程",
                                            "乡镇卫生院标准化改造",
                                            "农村饮水安全巩固提升",
                                            "城乡公交一体化",
                                            "老旧小区改造",
                                            "县城停车场建设",
                                            "农村道路“畅返不畅”整治",
                                            "困难群众住房保障",
                                            "全民健身场地设施建设",
                                            "城区雨污分流改造",
                                            "农贸市场提质改造",
                                            "居家养老服务中心建设",
                                            "公办幼儿园新建"};

constexpr std::size_t kDeputies = 250;  // 应到
constexpr std::size_t kAbsent = 7;
constexpr std::uint64_t kChoose = 10;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void progress(const char* what, std::size_t done, std::size_t total) {
  if (done % 25 == 0 || done == total) std::fprintf(stderr, "\r  %s %zu/%zu", what, done, total);
  if (done == total) std::fprintf(stderr, "\n");
}

// A deterministic, plausible voting pattern: every deputy approves up to 10 projects, with preferences that
// differ by project, so the count has a clear top and a tail.
std::vector<std::uint8_t> choices_of(std::size_t deputy) {
  std::vector<std::uint8_t> choices(kProjects.size(), 0);
  std::uint64_t state = 0x9e3779b97f4a7c15ULL * (deputy + 1);
  std::uint64_t picked = 0;
  for (std::size_t round = 0; round < 40 && picked < kChoose; ++round) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const std::size_t project = static_cast<std::size_t>(state % (kProjects.size() + 4)) % kProjects.size();
    if (choices[project] == 0) {
      choices[project] = 1;
      ++picked;
    }
  }
  if (deputy % 37 == 0) std::fill(choices.begin(), choices.end(), 0);  // a few blank ballots
  return choices;
}

int run(const std::filesystem::path& var) {
  std::filesystem::create_directories(var);
  hv::RandomSource& random = hv::system_random();
  const auto started = std::chrono::steady_clock::now();

  std::cout << "== 一、主席团密钥仪式 / presidium key ceremony (3-of-5, Pedersen DKG) ==\n";
  const hv::ThresholdParams params{3, 5, "汉阴县第十八届人民代表大会第三次会议/demo"};
  std::vector<hv::BoxKeyPair> boxes;
  std::vector<hv::Dealer> dealers;
  std::vector<hv::DealerCommitment> commitments;
  for (std::uint32_t i = 1; i <= params.n; ++i) {
    boxes.push_back(hv::BoxKeyPair::generate(random));
    dealers.push_back(hv::Dealer::create(params, i, random).value());
    commitments.push_back(dealers.back().commitment());
  }
  std::cout << "  第一轮：5 名受托人提交承诺摘要 / round 1: 5 commitments\n";
  std::vector<hv::DealerReveal> reveals;
  for (std::uint32_t i = 1; i <= params.n; ++i) {
    auto reveal = hv::DealerReveal::decode(dealers[i - 1].reveal().encode()).value();
    if (auto ok = hv::verify_reveal(params, commitments[i - 1], reveal); !ok) {
      std::cerr << "  " << ok.error().message() << "\n";
      return 1;
    }
    reveals.push_back(std::move(reveal));
  }
  std::cout << "  第二轮：系数承诺与知识证明全部有效 / round 2: every reveal matches and proves knowledge\n";
  const hv::ThresholdKey key = hv::ThresholdKey::from_reveals(params, reveals).value();
  std::vector<std::filesystem::path> key_files;
  for (std::uint32_t j = 1; j <= params.n; ++j) {
    std::vector<hv::SecretScalar> opened;
    for (std::uint32_t i = 1; i <= params.n; ++i) {
      const hv::Bytes sealed = dealers[i - 1].sealed_share_for(j, boxes[j - 1].public_key());
      auto share = hv::open_share(params, j, boxes[j - 1], reveals[i - 1], sealed);
      if (!share) {
        std::cerr << "  " << share.error().message() << "\n";
        return 1;
      }
      opened.push_back(std::move(*share));
    }
    const hv::KeyShare share = hv::KeyShare::combine(j, opened);
    const auto secret = share.secret.reveal().encode();
    const std::string passphrase = "demo-passphrase-" + std::to_string(j);
    const hv::Bytes file =
        hv::seal_key_file("threshold-share", secret, passphrase, hv::KdfParams::minimal(), random);
    key_files.push_back(var / ("trustee-" + std::to_string(j) + ".key"));
    std::ofstream(key_files.back(), std::ios::binary)
        .write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
    std::cout << "  " << kTrustees[j - 1].role << " " << kTrustees[j - 1].name << "：份额已校验并加密存入 "
              << key_files.back().string() << "\n";
  }
  const hv::ElectionKey election = hv::ElectionKey::from_point(key.election_key).value();
  std::cout << "  选举公钥 / election key K = " << hv::to_hex(election.encode()) << "\n\n";

  std::cout << "== 二、投票 / voting: 13选10 差额票决, 应到 " << kDeputies << " 实到 " << kDeputies - kAbsent
            << " ==\n";
  const hv::Bytes base_hash(32, 0x5a);  // the hash of the signed ballot definition in a real session
  const hv::ContestShape shape{kProjects.size(), 0, kChoose};
  // Each deputy's credential (on the IC card in the hall): the proofs are bound to it and it signs the ballot.
  struct Cast {
    hv::VerifyKey credential;
    hv::Bytes contest;
    hv::Signature signature;
  };
  std::vector<Cast> cast;
  auto phase = std::chrono::steady_clock::now();
  for (std::size_t deputy = 0; deputy < kDeputies - kAbsent; ++deputy) {
    const hv::SigningKey credential = hv::SigningKey::generate(random);
    const hv::ProofContext context{base_hash, election, credential.verify_key().bytes()};
    auto contest = hv::encrypt_contest(context, "county-2027-projects", shape, choices_of(deputy), random);
    hv::Bytes bytes = contest.value().encode();
    const hv::Signature signature = credential.sign(bytes);
    cast.push_back({credential.verify_key(), std::move(bytes), signature});
    progress("加密、证明并签名 / encrypting, proving, signing", deputy + 1, kDeputies - kAbsent);
  }
  std::printf("  %zu 张选票已加密，每张 %zu 字节，用时 %.2f 秒\n", cast.size(), cast.front().contest.size(),
              seconds_since(phase));

  phase = std::chrono::steady_clock::now();
  std::vector<hv::Ciphertext> totals(kProjects.size());
  for (std::size_t b = 0; b < cast.size(); ++b) {
    const hv::ProofContext context{base_hash, election, cast[b].credential.bytes()};
    auto contest = hv::EncryptedContest::decode(cast[b].contest, shape);
    if (!cast[b].credential.verify(cast[b].contest, cast[b].signature) || !contest ||
        !hv::verify_contest(context, "county-2027-projects", shape, *contest)) {
      std::cerr << "  选票 " << b << " 无效 / ballot " << b << " invalid\n";
      return 1;
    }
    for (std::size_t i = 0; i < totals.size(); ++i) totals[i] += contest->selections[i];
    progress("验证并累加 / verifying and tallying", b + 1, cast.size());
  }
  std::printf("  全部 %zu 张选票签名与证明有效，同态累加完成，用时 %.2f 秒\n\n", cast.size(),
              seconds_since(phase));

  std::cout << "== 三、门限解密 / threshold decryption ==\n";
  std::vector<hv::PartialDecryption> partials;
  for (std::uint32_t j : {1u, 4u, 3u, 5u}) {
    std::ifstream in(key_files[j - 1], std::ios::binary);
    const hv::Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto secret = hv::open_key_file(file, "threshold-share", "demo-passphrase-" + std::to_string(j));
    if (!secret) {
      std::cerr << "  " << secret.error().message() << "\n";
      return 1;
    }
    const hv::KeyShare share{j, hv::SecretScalar(hv::Scalar::decode(secret->reveal()).value())};
    partials.push_back(hv::decrypt_partially(share, base_hash, totals, random));
    if (j == 4) partials.back().factors[2] += hv::Point::generator();  // a forged share, to show it is caught
  }
  hv::CombineReport report;
  auto counts = hv::combine_decryption(key, base_hash, totals, partials, cast.size(), &report);
  for (const auto& [trustee, error] : report.rejected) {
    std::cout << "  已跳过无效份额 / skipped: " << kTrustees[trustee - 1].name << " — " << error.detail << "\n";
  }
  if (!counts) {
    std::cerr << "  " << counts.error().message() << "\n";
    return 1;
  }
  std::cout << "  使用受托人 / combined:";
  for (auto t : report.used) std::cout << " " << kTrustees[t - 1].name;
  std::cout << "\n\n";

  std::cout << "== 四、计票结果 / result (得票 by project, ranked) ==\n";
  std::vector<std::size_t> order(kProjects.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return (*counts)[a] > (*counts)[b]; });
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    std::printf("  %2zu. %s %4llu 票\n", rank + 1, hallvote::pad_to_columns(kProjects[order[rank]], 28).c_str(),
                static_cast<unsigned long long>((*counts)[order[rank]]));
  }
  std::printf("\n全部完成，用时 %.1f 秒 / done in %.1f s\n", seconds_since(started), seconds_since(started));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path var = "var/demo";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--var") var = argv[i + 1];
  }
  try {
    return run(var);
  } catch (const std::exception& e) {
    std::cerr << "内部错误 / internal error: " << e.what() << "\n";
    return 2;
  }
}
