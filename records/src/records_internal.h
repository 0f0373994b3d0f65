// Internals shared by the record renderers: which files a record set yields, the adopted projects of a vote,
// and the renderers of each file (data_files.cc, documents.cc).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/records/collect.h"
#include "hallvote/records/render.h"

namespace hallvote::records::internal {

enum class DocumentKind { announcement, decision, satisfaction, tally_report };

// One PDF to render.
struct PlannedDocument {
  std::string name;  // file name
  DocumentKind kind = DocumentKind::tally_report;
  std::size_t vote = 0;      // index into RecordSet::votes
  std::string motion_id;     // decision: the motion passed
  std::uint32_t number = 0;  // announcement: 第N号
};

// Every PDF of `set`, in vote order (announcement, decision(s), satisfaction, tally report per vote).
[[nodiscard]] std::vector<PlannedDocument> plan_documents(const RecordSet& set);

// A project or motion adopted by a vote, with the round that adopted it and its votes there.
struct AdoptedItem {
  std::string item_id;
  std::string title;
  std::uint32_t round = 0;  // the round whose verdict was 通过
  std::uint32_t votes = 0;  // choose: 得票; per_item: 赞成
  std::uint32_t rank = 0;   // choose: 名次 in that round; else 0
};
// The items in the last outcome's `adopted` list, in that order.
[[nodiscard]] std::vector<AdoptedItem> adopted_items(const VoteRecord& vote);

// "hallvote-checkpoint/v1 <origin> <size> <root hex>".
[[nodiscard]] std::string checkpoint_payload(const CheckpointRef& checkpoint);

[[nodiscard]] std::string results_json(const RecordSet& set, const std::vector<PlannedDocument>& documents);
[[nodiscard]] std::string results_csv(const RecordSet& set);

// Typesets one planned document. Errors: font_unavailable, render_failed.
class FontSet;
[[nodiscard]] Result<std::string> render_document(const RecordSet& set, const PlannedDocument& document,
                                                  const FontSet& fonts);

}  // namespace hallvote::records::internal
