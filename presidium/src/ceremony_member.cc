#include "hallvote/presidium/ceremony_member.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "hallvote/crypto/sealed_box.h"

namespace hallvote::presidium {
namespace {

using protocol::CeremonyMessage;
using protocol::CeremonyStep;
using protocol::CeremonyTranscript;
using Clock = std::chrono::steady_clock;

class MemberRun {
 public:
  MemberRun(const MemberCeremony& o, protocol::CeremonyCall call)
      : o_(o), call_(std::move(call)), members_(call_.participants()), me_(call_.index_of(o.member)) {}

  Result<MemberCeremonyResult> run();

 private:
  void say(const std::string& line) const {
    if (o_.progress) o_.progress(line);
  }
  crypto::RandomSource& random() const { return o_.random != nullptr ? *o_.random : crypto::system_random(); }

  // Adds the board's files to what this member has already seen. Nothing seen is ever forgotten: a message
  // changed or removed on the board later changes nothing here, and a second, different version of one is an
  // equivocation that stops the ceremony. Files refused are reported once each.
  Status read_board() {
    std::vector<std::string> refused;
    if (auto ok = setup::read_board_into(*o_.board, transcript_, false, &refused); !ok) return ok;
    for (const auto& why : refused) {
      if (reported_.insert(why).second) say("已拒收 / refused: " + why);
    }
    return {};
  }

  // Polls until every member has a message of `step`, or `done` says so; fails at the deadline naming who is
  // missing (unless `lenient`, which then returns as the board is).
  Status wait_for(CeremonyStep step, bool lenient = false,
                  const std::function<bool(const CeremonyTranscript&)>& done = {}) {
    const auto deadline = Clock::now() + o_.deadline;
    while (true) {
      if (auto ok = read_board(); !ok) return ok;
      const auto absent = transcript_.missing(step);
      if (done ? done(transcript_) : absent.empty()) return {};
      if (Clock::now() >= deadline) {
        if (lenient) return {};
        std::string names;
        for (const auto& id : absent)
          names += (names.empty() ? "" : ", ") + (o_.describe ? o_.describe(id) : id);
        return fail(std::errc::timed_out,
                    "以下成员未在时限内完成“" + std::string(protocol::display_name_zh(step)) + "”：" + names +
                        " / did not answer the " + std::string(protocol::to_string(step)) +
                        " step in time: " + names);
      }
      std::this_thread::sleep_for(o_.poll);
    }
  }

  Status post(CeremonyMessage message) {
    message.ceremony_id = call_.ceremony_id;
    message.member = o_.member;
    message.roster_hash = roster_hash_;
    message.sign(*o_.signing);
    return o_.board->post(message);
  }

  bool confirmed(const std::string& what, const std::string& spoken) const {
    return !o_.confirm || o_.confirm(what, spoken);
  }

  const MemberCeremony& o_;
  protocol::CeremonyCall call_;
  std::vector<std::string> members_;  // taking part
  std::uint32_t me_;
  CeremonyTranscript transcript_{
      call_};  // everything seen so far, checked against the call this member checked
  std::set<std::string> reported_;
  crypto::Sha256Digest roster_hash_{};
};

Result<MemberCeremonyResult> MemberRun::run() {
  if (me_ == 0) {
    return fail(std::errc::invalid_argument,
                o_.member + " 不在本次仪式的成员名单中 / " + o_.member + " is not on this ceremony's call");
  }
  const crypto::ThresholdParams params = call_.params();
  const crypto::BoxKeyPair box = crypto::BoxKeyPair::generate(random());

  CeremonyMessage join;
  join.step = CeremonyStep::join;
  join.sign_key = o_.signing->verify_key().bytes();
  join.box_key = box.public_key();
  if (auto ok = post(join); !ok) {
    if (ok.error().code == std::errc::file_exists) {
      return fail(std::errc::file_exists,
                  "仪式目录中已有以本人名义的另一份报到消息，可能被冒用，请告知主持人 / "
                  "the folder already holds another join in my name: report it to the chair");
    }
    return forward(ok.error());
  }
  say("一、报到：已提交本人的签名公钥与份额加密公钥 / join: posted my signing key and share box key");

  if (auto ok = wait_for(CeremonyStep::join); !ok) return forward(ok.error());
  if (const CeremonyMessage* mine = transcript_.find(CeremonyStep::join, o_.member);
      mine->sign_key != join.sign_key || mine->box_key != join.box_key) {
    return fail(std::errc::file_exists,
                "仪式目录中有以本人名义的另一份报到消息，可能被冒用，请告知主持人 / the "
                "folder holds another join in my name: report it to the chair");
  }
  roster_hash_ = *transcript_.roster_hash();
  if (!confirmed("名单指纹 / roster fingerprint", protocol::spoken_fingerprint(roster_hash_))) {
    return fail(std::errc::operation_canceled, "成员未确认名单 / the member did not confirm the roster");
  }
  CeremonyMessage roll_call;
  roll_call.step = CeremonyStep::roll_call;
  if (auto ok = post(roll_call); !ok) return forward(ok.error());
  say("二、确认名单：" + std::to_string(members_.size()) +
      " 名成员 / roll call: " + std::to_string(members_.size()) + " members");

  if (auto ok = wait_for(CeremonyStep::roll_call); !ok) return forward(ok.error());
  auto dealer = crypto::Dealer::create(params, me_, random());
  if (!dealer) return forward(dealer.error());
  CeremonyMessage commit;
  commit.step = CeremonyStep::commit;
  commit.digest = dealer->commitment().digest;
  if (auto ok = post(commit); !ok) return forward(ok.error());
  say("三、承诺：已提交本人多项式的承诺值 / commit: posted my polynomial's commitment");

  // Every commitment is in before any reveal leaves this machine: no dealer can choose after seeing another's.
  if (auto ok = wait_for(CeremonyStep::commit); !ok) return forward(ok.error());
  CeremonyMessage deal;
  deal.step = CeremonyStep::deal;
  deal.reveal = dealer->reveal().encode();
  for (const auto& id : members_) {
    deal.shares[id] =
        dealer->sealed_share_for(call_.index_of(id), transcript_.find(CeremonyStep::join, id)->box_key);
  }
  if (auto ok = post(deal); !ok) return forward(ok.error());
  say("四、分发份额：已向每位成员发送加密份额 / deal: sealed a share to every member");

  if (auto ok = wait_for(CeremonyStep::deal); !ok) return forward(ok.error());
  std::map<std::string, crypto::SecretScalar> opened;
  CeremonyMessage verify;
  verify.step = CeremonyStep::verify;
  for (const auto& id : members_) {
    const CeremonyMessage& their_deal = *transcript_.find(CeremonyStep::deal, id);
    auto reveal = crypto::DealerReveal::decode(their_deal.reveal);
    const crypto::DealerCommitment commitment{call_.index_of(id),
                                              transcript_.find(CeremonyStep::commit, id)->digest};
    if (!reveal || !crypto::verify_reveal(params, commitment, *reveal)) continue;  // excluded by everyone alike
    auto share = crypto::open_share(params, me_, box, *reveal, their_deal.shares.at(o_.member));
    if (share) {
      opened.emplace(id, std::move(*share));
    } else {
      verify.complaints.push_back(id);
      say("对 " + id + " 提出异议：" + share.error().message() + " / complaint against " + id);
    }
  }
  if (auto ok = post(verify); !ok) return forward(ok.error());
  say(verify.complaints.empty() ? "五、核验份额：收到的份额全部有效 / verify: every share checks"
                                : "五、核验份额：已公开提出异议 / verify: complaints posted");

  if (auto ok = wait_for(CeremonyStep::verify); !ok) return forward(ok.error());
  if (auto against_me = transcript_.complaints_against(o_.member); !against_me.empty()) {
    CeremonyMessage resolve;
    resolve.step = CeremonyStep::resolve;
    for (const auto& complainer : against_me) {
      const auto disclosed = dealer->share_for(call_.index_of(complainer)).reveal().encode();
      resolve.shares[complainer] = crypto::Bytes(disclosed.begin(), disclosed.end());
    }
    if (auto ok = post(resolve); !ok) return forward(ok.error());
    say("六、答复异议：已公开被质疑的份额 / resolve: disclosed the shares complained about");
  }
  // Each accused dealer answers, or is excluded once the deadline passes.
  auto answered = [&](const CeremonyTranscript& t) {
    return std::all_of(members_.begin(), members_.end(), [&](const std::string& id) {
      return t.complaints_against(id).empty() || t.find(CeremonyStep::resolve, id) != nullptr;
    });
  };
  if (auto ok = wait_for(CeremonyStep::resolve, true, answered); !ok) return forward(ok.error());
  auto qualification = transcript_.qualify();
  if (!qualification) return forward(qualification.error());
  for (const auto& [excluded, why] : qualification->excluded) say("排除分发者 " + excluded + "：" + why);

  std::vector<crypto::SecretScalar> mine;
  for (const auto& id : qualification->qualified) {
    if (auto it = opened.find(id); it != opened.end()) {
      mine.push_back(std::move(it->second));
      continue;
    }
    // A share complained about and disclosed: checked by qualify().
    const CeremonyMessage* resolve = transcript_.find(CeremonyStep::resolve, id);
    if (resolve == nullptr || !resolve->shares.contains(o_.member)) {
      return fail(crypto::CryptoErrc::invalid_share,
                  "没有来自 " + id + " 的有效份额 / no valid share from " + id);
    }
    auto disclosed = crypto::Scalar::decode(resolve->shares.at(o_.member));
    if (!disclosed) return forward(disclosed.error());
    mine.emplace_back(*disclosed);
  }
  crypto::KeyShare share = crypto::KeyShare::combine(me_, mine);
  if (!(crypto::Point::base_mul(share.secret.reveal()) == qualification->key.trustee_keys[me_ - 1])) {
    return fail(
        crypto::CryptoErrc::invalid_share,
        "本人份额与推算的受托人公钥不符 / my share does not match the trustee key the transcript makes");
  }
  if (!confirmed("选举公钥指纹 / election key fingerprint",
                 protocol::spoken_fingerprint(qualification->fingerprint))) {
    return fail(std::errc::operation_canceled, "成员未确认选举公钥 / the member did not confirm the key");
  }
  CeremonyMessage final_key;
  final_key.step = CeremonyStep::final_key;
  final_key.digest = qualification->fingerprint;
  if (auto ok = post(final_key); !ok) return forward(ok.error());
  say("七、确认公钥：已签署选举公钥指纹 / final: signed the election key fingerprint");

  if (auto ok = wait_for(CeremonyStep::final_key); !ok) return forward(ok.error());
  protocol::CeremonyRecord whole;
  whole.call = call_;
  whole.messages = transcript_.messages();
  auto record = protocol::verify_ceremony(whole.to_json());
  if (!record) return forward(record.error());
  return MemberCeremonyResult{std::move(share), std::move(*record)};
}

}  // namespace

Result<MemberCeremonyResult> run_member_ceremony(const MemberCeremony& ceremony) {
  MemberRun run(ceremony, ceremony.call);
  return run.run();
}

}  // namespace hallvote::presidium
