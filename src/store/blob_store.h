// The server's blob store: recordings and uploads as files under <data>/blobs/<workspace>/,
// each encrypted with its workspace's own key (libsodium secretstream, crypto/encrypted_file.h)
// from the keyring <data>/keyring. Deleting a workspace's key makes all its blobs unreadable at
// once (crypto-shredding, privacy P12); deleting a blob removes its file (P5).
//
// Blob names are "<workspace id>/<random id>.enc": made here, checked on every use, so a name
// from a request can never reach outside the folder.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "crypto/encrypted_file.h"
#include "crypto/keyring.h"

namespace hush::store {

class BlobStore {
 public:
  // Creates <data_dir>/blobs (0700) when missing.
  explicit BlobStore(const std::string& data_dir);

  // Writes `bytes` encrypted and fsynced; returns the blob name. StorageFull (store_errors.h)
  // when the disk is full or the upload would leave less than kDiskReserveBytes free, HUSH_ERR_IO
  // for an unwritable folder (the partial file is removed either way).
  std::string put(const std::string& workspace_id, std::span<const std::uint8_t> bytes);
  // Kept free by put(): the database on the same disk can still log audited reads, delete
  // recordings and finish jobs when uploads have filled the disk.
  static constexpr std::uint64_t kDiskReserveBytes = 1024 * 1024;

  // A blob written chunk by chunk (live streams being recorded). Every written chunk survives a
  // killed process; finish() marks the end.
  class Writer {
   public:
    Writer(std::string name, std::unique_ptr<crypto::EncryptedFileWriter> file)
        : name_(std::move(name)), file_(std::move(file)) {}
    const std::string& name() const { return name_; }
    void write(std::span<const std::uint8_t> bytes) { file_->write_chunk(bytes); }
    void finish() { file_->finish(); }

   private:
    std::string name_;
    std::unique_ptr<crypto::EncryptedFileWriter> file_;
  };
  std::unique_ptr<Writer> open_writer(const std::string& workspace_id);

  // The decrypted bytes (a blob cut short by a crash gives its complete chunks). HUSH_ERR_FORMAT
  // when the workspace key is gone or the file was tampered with; HUSH_ERR_IO when missing.
  std::vector<std::uint8_t> get(const std::string& blob_name) const;
  // Removes the file; a missing one is not an error (deletion is idempotent).
  void remove(const std::string& blob_name);
  // Every blob with the Unix second it was last written (uploads that never became a recording
  // are found by age: hushd's sweeper, hushd.h).
  struct Listed {
    std::string name;
    std::int64_t modified_s;
  };
  std::vector<Listed> list() const;
  // The Unix second the blob was last written; HUSH_ERR_IO when it does not exist.
  std::int64_t modified_s(const std::string& blob_name) const;
  // Deletes the workspace's key: its blobs can never be decrypted again.
  void shred_workspace_key(const std::string& workspace_id);

  const std::string& root() const { return root_; }
  std::string path_of(const std::string& blob_name) const;  // throws for a malformed name

 private:
  std::string key_name(const std::string& workspace_id) const { return "ws-" + workspace_id; }
  std::string new_blob_name(const std::string& workspace_id);

  std::string root_;
  crypto::Keyring keyring_;
};

}  // namespace hush::store
