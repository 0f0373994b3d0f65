// The wording of the resolution records that a county words its own way (docs/session-format.md
// `[records]`, docs/records.md §4): the 决定's legal basis, opening and operative clause, and the 主席团公告's
// sentences. Each is a template: the text as printed, with placeholders `{name}` replaced from the log
// (record_placeholders()). The defaults follow published county 决定 and 公告 on 民生实事项目票决.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hallvote::session {

struct RecordWording {
  // 决定 (per passed motion of a per_item vote). Placeholders: body, date, year, count, subject, government.
  std::string decision_basis = "根据《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》的有关规定，";
  std::string decision_opening = "经全体代表无记名投票差额票决，决定以下{count}个项目为{subject}：";
  std::string decision_none = "{body}经全体代表无记名投票表决，通过{title}。";
  std::string decision_operative =
      "会议要求{government}精心组织实施，确保各项目按期保质完成；{standing_committee}"
      "要加强监督，并在下次人民代表大会会议上组织代表对项目实施情况进行满意度测评。";
  // 主席团公告 (per choose vote). Placeholders: body, date, year, count.
  std::string announcement_opening =
      "{body}于{date}进行了{year}年度民生实事项目差额票决。根据票决结果，确定以下项目为{year}"
      "年度民生实事项目，共{count}项，分别是：";
  std::string announcement_none =
      "{body}于{date}进行了{year}年度民生实事项目差额票决。根据票决结果，没有项目确定为{year}"
      "年度民生实事项目。";
  std::string announcement_closing = "现予以公告。";
};

// The placeholders a template field may use, by field name ("decision_opening" …); empty for an unknown field.
[[nodiscard]] std::vector<std::string_view> record_placeholders(std::string_view field);

// `text` with every `{name}` replaced by values.at(name). Precondition: every placeholder of `text` is a key of
// `values` (the loader checks templates with unknown_placeholder()).
[[nodiscard]] std::string fill_template(std::string_view text,
                                        const std::map<std::string, std::string>& values);

// The first `{name}` of `text` that is not in `allowed`, or a description of an unbalanced brace; empty when
// the template is well formed.
[[nodiscard]] std::string unknown_placeholder(std::string_view text,
                                              const std::vector<std::string_view>& allowed);

}  // namespace hallvote::session
