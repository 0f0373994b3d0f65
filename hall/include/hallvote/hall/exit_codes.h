// Exit codes shared by hallvote-server, hallvote-terminal and hallvote-presidium (each --help lists them).
#pragma once

namespace hallvote::setup {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,   // the operation failed or the server refused it (the named error is printed)
  kExitUsage = 2,    // bad command line
  kExitSetup = 3,    // hall directory, session file, key file or passphrase problem
  kExitNetwork = 4,  // could not connect to the hall server, or the connection failed
};

inline constexpr const char* kExitCodesHelp =
    "退出码 / exit codes: 0 成功 ok; 1 操作失败或被服务器拒绝 failed or refused; 2 命令行错误 usage; "
    "3 会场目录/会议文件/密钥/口令问题 hall, session, key or passphrase problem; 4 网络错误 network error";

}  // namespace hallvote::setup
