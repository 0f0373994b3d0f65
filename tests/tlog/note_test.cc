#include "hallvote/tlog/note.h"

#include <gtest/gtest.h>

#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/errors.h"
#include "vectors.h"

namespace hallvote::audit {
namespace {

std::string vector_value(const std::string& keyword, int which = 0) {
  for (const auto& row : testing::vector_lines("signed_note.txt")) {
    if (row.size() == 2 && row[0] == keyword && which-- == 0) return row[1];
  }
  return {};
}

// tests/vectors/signed_note.txt (1): Go sumdb/note TestSign, byte for byte.
TEST(SignedNote, PeterNeumannSignatureMatchesGoGoldenBytes) {
  auto blocks = testing::vector_blocks("signed_note.txt");
  auto signer = parse_signer_key(vector_value("signer_key"));
  ASSERT_TRUE(signer) << signer.error().message();
  const NoteKey key{signer->name, kNoteEd25519, signer->key.verify_key()};
  EXPECT_EQ(key.vkey(), vector_value("verifier_key"));
  EXPECT_EQ(key.id(), 0xc74f20a3u);
  const std::string& text = blocks.at("peterneumann_text");
  const Note note{text, {sign_note(text, signer->name, signer->key)}};
  EXPECT_EQ(note.format(), blocks.at("peterneumann_signed"));
}

TEST(SignedNote, OpensGoNoteWithTwoKnownKeys) {
  auto blocks = testing::vector_blocks("signed_note.txt");
  auto peter = NoteKey::parse(vector_value("verifier_key", 0));
  auto enoch = NoteKey::parse(vector_value("verifier_key", 1));
  ASSERT_TRUE(peter && enoch);
  auto note = parse_note(blocks.at("peterneumann_enochroot_signed"));
  ASSERT_TRUE(note);
  ASSERT_EQ(note->signatures.size(), 2u);
  EXPECT_TRUE(verify_note_signature(note->text, note->signatures[0], *peter));
  EXPECT_TRUE(verify_note_signature(note->text, note->signatures[1], *enoch));
  EXPECT_EQ(verify_note_signature(note->text, note->signatures[1], *peter).error().code,
            AuditErrc::unknown_key);
  note->signatures[0].signature[3] ^= 1;
  EXPECT_EQ(verify_note_signature(note->text, note->signatures[0], *peter).error().code,
            AuditErrc::invalid_signature);
}

// tests/vectors/signed_note.txt (2) and (3): the C2SP examples; the specs publish no keys, so parse only.
TEST(SignedNote, ParsesC2spExamplesSplittingAtTheLastBlankLine) {
  auto blocks = testing::vector_blocks("signed_note.txt");
  auto note = parse_note(blocks.at("c2sp_signed_note_signed"));
  ASSERT_TRUE(note);
  EXPECT_EQ(note->text, blocks.at("c2sp_signed_note_text"));
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].name, "quasimodo.example/salvatore");
  EXPECT_EQ(note->signatures[0].key_id, 0x367ba04bu);
  EXPECT_EQ(note->signatures[0].signature.size(), 64u);
  EXPECT_EQ(note->format(), blocks.at("c2sp_signed_note_signed"));

  auto cp_note = parse_note(blocks.at("c2sp_checkpoint_signed"));
  ASSERT_TRUE(cp_note);
  EXPECT_EQ(cp_note->signatures[0].key_id, 0x033de0aeu);
  auto cp = Checkpoint::parse(cp_note->text);
  ASSERT_TRUE(cp);
  EXPECT_EQ(cp->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp->size, 20852163u);
  EXPECT_EQ(crypto::to_hex(cp->root), "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
  EXPECT_EQ(cp->text(), blocks.at("c2sp_checkpoint_text"));
}

TEST(SignedNote, RejectsMalformedNotes) {
  auto blocks = testing::vector_blocks("signed_note.txt");
  const std::string good = blocks.at("peterneumann_signed");
  const std::string text = blocks.at("peterneumann_text");
  for (const std::string& bad :
       {text, text + "\n", good.substr(0, good.size() - 1), "\x01" + good, "\xff" + good,
        good + "Unexpected line.\n",
        text +
            "\n— Bad Name "
            "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"}) {
    EXPECT_FALSE(parse_note(bad)) << bad;
  }
}

TEST(SignedNote, VkeyManglingsAreRejected) {
  const std::string vkey = vector_value("verifier_key");
  ASSERT_TRUE(NoteKey::parse(vkey));
  for (std::size_t i = 0; i < vkey.size(); ++i) {
    std::string bad = vkey;
    ++bad[i];
    EXPECT_FALSE(NoteKey::parse(bad)) << bad;
    EXPECT_FALSE(NoteKey::parse(vkey.substr(0, i))) << i;
  }
}

TEST(Cosignature, VerifiesOverTimestampedMessageAndRejectsOtherTimes) {
  crypto::DeterministicRandom random(7);
  const auto key = crypto::SigningKey::generate(random);
  const NoteKey cosigner{"witness.example/w1", kNoteCosignature, key.verify_key()};
  const std::string text = "example.com/log\n5\n" + std::string(44, 'A') + "\n";
  NoteSignature sig = cosign_note(text, cosigner.name, key, 1679315147);
  EXPECT_EQ(sig.signature.size(), 72u);
  EXPECT_TRUE(verify_note_signature(text, sig, cosigner));
  sig.signature[7] ^= 1;  // timestamp changed
  EXPECT_FALSE(verify_note_signature(text, sig, cosigner));
  const NoteKey as_plain{cosigner.name, kNoteEd25519, key.verify_key()};
  EXPECT_EQ(verify_note_signature(text, sig, as_plain).error().code, AuditErrc::unknown_key);
}

}  // namespace
}  // namespace hallvote::audit
