// Speaker profiles (privacy P10): a voice embedding is stored only with the person's consent,
// and withdrawing consent deletes it without residue (secure_delete + WAL truncation).
#include <bit>
#include <cmath>
#include <cstring>

#include "store/sqlite_library.h"
#include "util/error.h"

namespace hush::store {

// Embeddings are stored as raw float32; the schema says little-endian, which is what we write.
static_assert(std::endian::native == std::endian::little, "speaker embeddings are stored little-endian");

void SqliteMeetingLibrary::enroll_speaker(const std::string& name, std::span<const float> embedding, bool consent) {
  if (!consent)
    throw Error(HUSH_ERR_INVALID_ARGUMENT,
                "speaker profile '" + name + "' needs the person's explicit consent; nothing was stored");
  if (name.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "a speaker profile needs a name");
  if (embedding.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker profile '" + name + "': empty embedding");
  for (const float v : embedding)
    if (!std::isfinite(v))
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker profile '" + name + "': embedding has a non-finite value");
  Transaction tx(db_);
  const bool replacing = speaker_embedding(name).has_value();
  Stmt(db_, "INSERT OR REPLACE INTO speaker_profiles (name, embedding, consent_at) VALUES (?, ?, ?)")
      .bind(1, name)
      .bind_blob(2, std::as_bytes(embedding))
      .bind(3, clock_())
      .run();
  tx.commit();
  if (replacing) checkpoint_truncate();  // the old voice print leaves the WAL too
}

std::vector<SpeakerProfile> SqliteMeetingLibrary::speakers() {
  Stmt st(db_, "SELECT name, consent_at, length(embedding) FROM speaker_profiles ORDER BY name");
  std::vector<SpeakerProfile> out;
  while (st.step())
    out.push_back({st.column_text(0), st.column_int64(1), static_cast<std::size_t>(st.column_int64(2)) / sizeof(float)});
  return out;
}

std::optional<std::vector<float>> SqliteMeetingLibrary::speaker_embedding(const std::string& name) {
  Stmt st(db_, "SELECT embedding FROM speaker_profiles WHERE name = ?");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  const std::vector<std::byte> bytes = st.column_blob(0);
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

void SqliteMeetingLibrary::withdraw_speaker(const std::string& name) {
  Transaction tx(db_);
  Stmt(db_, "DELETE FROM speaker_profiles WHERE name = ?").bind(1, name).run();
  if (db_.changes() == 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "no speaker profile named '" + name + "'");
  tx.commit();
  checkpoint_truncate();
}

}  // namespace hush::store
