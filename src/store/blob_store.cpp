#include "store/blob_store.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "crypto/secret_key.h"
#include "store/server_ids.h"
#include "store/store_errors.h"
#include "util/error.h"

namespace hush::store {

namespace {

bool is_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

void make_private_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    if (errno == ENOSPC || errno == EDQUOT) throw StorageFull("no space left to create " + path);
    throw Error(HUSH_ERR_IO, "cannot create " + path + ": " + std::strerror(errno));
  }
}

}  // namespace

BlobStore::BlobStore(const std::string& data_dir)
    : root_(data_dir + "/blobs"), keyring_(data_dir + "/keyring") {
  make_private_dir(data_dir);
  make_private_dir(root_);
}

std::string BlobStore::path_of(const std::string& blob_name) const {
  const auto slash = blob_name.find('/');
  const bool ok = slash != std::string::npos && is_id(blob_name.substr(0, slash)) &&
                  blob_name.size() > slash + 5 && blob_name.ends_with(".enc") &&
                  is_id(blob_name.substr(slash + 1, blob_name.size() - slash - 5));
  if (!ok) throw Error(HUSH_ERR_INVALID_ARGUMENT, "not a blob name: '" + blob_name.substr(0, 80) + "'");
  return root_ + "/" + blob_name;
}

std::string BlobStore::new_blob_name(const std::string& workspace_id) {
  if (!is_id(workspace_id)) throw Error(HUSH_ERR_INVALID_ARGUMENT, "not a workspace id");
  make_private_dir(root_ + "/" + workspace_id);
  return workspace_id + "/" + new_id("blob") + ".enc";
}

std::unique_ptr<BlobStore::Writer> BlobStore::open_writer(const std::string& workspace_id) {
  const std::string name = new_blob_name(workspace_id);
  const crypto::SecretKey key = keyring_.get_or_create(key_name(workspace_id));
  auto file = std::make_unique<crypto::EncryptedFileWriter>(path_of(name), key, key_name(workspace_id));
  return std::make_unique<Writer>(name, std::move(file));
}

std::string BlobStore::put(const std::string& workspace_id, std::span<const std::uint8_t> bytes) {
  // A full disk is the operator's problem, not a bug: StorageFull (HTTP 507), with nothing of the
  // half-written blob left behind. The crypto layer reports errno as text, hence the message test.
  struct statvfs fs {};
  if (::statvfs(root_.c_str(), &fs) == 0 &&
      std::uint64_t{fs.f_bavail} * fs.f_frsize < bytes.size() + kDiskReserveBytes) {
    throw StorageFull("the recording (" + std::to_string(bytes.size()) + " bytes) would leave less than " +
                      std::to_string(kDiskReserveBytes) + " bytes free under " + root_);
  }
  std::unique_ptr<Writer> writer;
  try {
    writer = open_writer(workspace_id);
  } catch (const Error& e) {
    if (names_disk_full(e.what())) throw StorageFull(std::string("no space left for the recording: ") + e.what());
    throw;
  }
  const std::string name = writer->name();
  try {
    for (std::size_t at = 0; at < bytes.size(); at += crypto::kMaxChunkBytes) {
      writer->write(bytes.subspan(at, std::min(crypto::kMaxChunkBytes, bytes.size() - at)));
    }
    writer->finish();
  } catch (const Error& e) {
    writer.reset();
    std::error_code ignored;
    std::filesystem::remove(path_of(name), ignored);
    if (names_disk_full(e.what())) throw StorageFull(std::string("no space left for the recording: ") + e.what());
    throw;
  } catch (...) {
    writer.reset();
    std::error_code ignored;
    std::filesystem::remove(path_of(name), ignored);
    throw;
  }
  return name;
}

std::vector<BlobStore::Listed> BlobStore::list() const {
  std::vector<Listed> out;
  std::error_code ec;
  for (const auto& workspace : std::filesystem::directory_iterator(root_, ec)) {
    if (!workspace.is_directory(ec) || !is_id(workspace.path().filename().string())) continue;
    for (const auto& file : std::filesystem::directory_iterator(workspace.path(), ec)) {
      const std::string name = workspace.path().filename().string() + "/" + file.path().filename().string();
      struct stat st {};
      if (!name.ends_with(".enc") || ::lstat(file.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      out.push_back({name, static_cast<std::int64_t>(st.st_mtime)});
    }
  }
  return out;
}

std::int64_t BlobStore::modified_s(const std::string& blob_name) const {
  const std::string path = path_of(blob_name);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error(HUSH_ERR_IO, "no such blob: " + blob_name);
  return static_cast<std::int64_t>(st.st_mtime);
}

std::vector<std::uint8_t> BlobStore::get(const std::string& blob_name) const {
  auto stream = crypto::read_encrypted_file(path_of(blob_name), keyring_);
  return std::move(stream.plaintext);
}

void BlobStore::remove(const std::string& blob_name) {
  const std::string path = path_of(blob_name);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throw Error(HUSH_ERR_IO, "cannot delete " + path + ": " + std::strerror(errno));
  }
}

void BlobStore::shred_workspace_key(const std::string& workspace_id) { keyring_.remove(key_name(workspace_id)); }

}  // namespace hush::store
