// hallvote-server enrol: issues terminal and console certificates with the hall CA.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/files.h"
#include "hallvote/hall/hall_dir.h"
#include "hallvote/network/hall_ca.h"

namespace hallvote::server_tool {
namespace {

namespace fs = std::filesystem;

struct EnrolOptions {
  std::string dir = "var/hall";
  std::string id;
  std::string role;
  std::string csr, out;
  std::string generate;
  std::uint32_t count = 0;
  std::string prefix = "T";
  std::optional<std::string> passphrase;
};

Result<network::HallCa> load_ca(const setup::HallPaths& paths, const std::optional<std::string>& given) {
  auto passphrase = setup::hall_passphrase(given);
  if (!passphrase) return forward(passphrase.error());
  auto cert = setup::read_text(paths.ca_cert());
  if (!cert) return forward(cert.error());
  auto key = setup::read_sealed(paths.ca_key(), setup::kCaKeyKind, *passphrase);
  if (!key) return forward(key.error());
  return network::HallCa::load(std::move(*cert), std::move(*key));
}

// Makes a key and CSR as the device would, has the CA sign it, writes OUTDIR/ID.key (0600) and OUTDIR/ID.crt.
Status generate_one(const network::HallCa& ca, const std::string& id, network::Role role,
                    const fs::path& out_dir) {
  auto made = network::generate_key_and_csr(id);
  if (!made) return forward(made.error());
  auto cert = ca.issue(made->csr_pem, role);
  if (!cert) return forward(cert.error());
  if (auto ok =
          setup::write_file(out_dir / (id + ".key"), made->private_key_pem.reveal(), setup::FileMode::secret);
      !ok) {
    return ok;
  }
  return setup::write_file(out_dir / (id + ".crt"), *cert, setup::FileMode::plain);
}

int run_enrol(const EnrolOptions& o) {
  const auto role = network::parse_role(o.role);
  if (!role || *role == network::Role::server) {
    return setup::report_error(
        "角色必须是 terminal|staff|chair|presidium|scrutineer|auditor|display / --role must be one of "
        "terminal, staff, chair, presidium, scrutineer, auditor, display",
        setup::kExitUsage);
  }
  const bool from_csr = !o.csr.empty();
  if (from_csr == !o.generate.empty() || (from_csr && o.out.empty()) || (o.count > 0 && from_csr) ||
      (o.count == 0 && o.id.empty())) {
    return setup::report_error(
        "用法：--id ID (--csr FILE --out CERT | --generate OUTDIR)，或 --count N --prefix T --generate "
        "OUTDIR / usage: --id ID with --csr FILE --out CERT or --generate OUTDIR; or --count N "
        "--prefix T --generate OUTDIR",
        setup::kExitUsage);
  }
  setup::HallPaths paths{o.dir};
  if (!fs::exists(paths.hall_json())) {
    return setup::report_error("会场目录 " + o.dir + " 尚未初始化 / no hall in " + o.dir + ": run init first",
                               setup::kExitSetup);
  }
  auto ca = load_ca(paths, o.passphrase);
  if (!ca) return setup::report_error(ca.error().message(), setup::kExitSetup);

  if (from_csr) {
    auto csr = setup::read_text(o.csr);
    if (!csr) return setup::report_error(csr.error().message(), setup::kExitSetup);
    auto cert = ca->issue(*csr, *role);
    if (!cert) return setup::report_error(cert.error().message(), setup::kExitFailed);
    if (auto ok = setup::write_file(o.out, *cert, setup::FileMode::plain); !ok) {
      return setup::report_error(ok.error().message(), setup::kExitSetup);
    }
    std::cout << "已签发证书 / issued " << o.role << " certificate: " << o.out << "\n";
    return setup::kExitOk;
  }
  std::error_code error;
  fs::create_directories(o.generate, error);
  if (error)
    return setup::report_error("无法创建目录 / cannot create " + o.generate + ": " + error.message(),
                               setup::kExitSetup);
  std::vector<std::string> ids;
  if (o.count > 0) {
    for (std::uint32_t i = 1; i <= o.count; ++i) {
      char number[16];
      std::snprintf(number, sizeof number, "%04u", i);
      ids.push_back(o.prefix + number);
    }
  } else {
    ids.push_back(o.id);
  }
  for (const auto& id : ids) {
    if (!network::is_valid_id(id)) {
      return setup::report_error("编号 " + id + " 无效（字母、数字、._-，最长64）/ invalid id '" + id + "'",
                                 setup::kExitUsage);
    }
    if (auto ok = generate_one(*ca, id, *role, o.generate); !ok) {
      return setup::report_error(id + ": " + ok.error().message(), setup::kExitFailed);
    }
  }
  std::cout << "已登记 " << ids.size() << " 个" << o.role << "证书于 " << o.generate << " / enrolled "
            << ids.size() << " " << o.role << " certificate(s) in " << o.generate << " (" << ids.front()
            << (ids.size() > 1 ? " … " + ids.back() : std::string()) << ")\n";
  return setup::kExitOk;
}

}  // namespace

void add_enrol_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<EnrolOptions>();
  auto* cmd = app.add_subcommand(
      "enrol",
      "登记终端或操作台证书 / issue a terminal or console certificate: from the device's CSR (--csr/--out), or "
      "--generate the key and CSR here as the device would (simulations; ID.key is written 0600)");
  cmd->add_option("--dir", options->dir, "会场目录 / hall directory")->capture_default_str();
  cmd->add_option("--id", options->id, "终端或人员编号 / terminal or operator id (certificate CN)");
  cmd->add_option("--role", options->role, "terminal|staff|chair|presidium|scrutineer|auditor|display")
      ->required();
  cmd->add_option("--csr", options->csr, "设备生成的证书请求 / the device's CSR (PEM)");
  cmd->add_option("--out", options->out, "证书输出 / certificate output (with --csr)");
  cmd->add_option(
      "--generate", options->generate,
      "在此生成密钥与证书 / generate key + certificate into OUTDIR (e.g. <hall>/operators, <hall>/terminals)");
  cmd->add_option("--count", options->count,
                  "批量登记 N 个 / enrol PREFIX0001..PREFIXN at once (with --generate)");
  cmd->add_option("--prefix", options->prefix, "批量编号前缀 / id prefix for --count")->capture_default_str();
  cmd->add_option("--passphrase", options->passphrase,
                  "CA密钥口令（默认 HALLVOTE_PASSPHRASE）/ CA key passphrase");
  cmd->callback([options, &exit_code] { exit_code = run_enrol(*options); });
}

}  // namespace hallvote::server_tool
