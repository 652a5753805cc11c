// Where Hush keeps a user's data (library.db, recordings/, keyring): $HUSH_HOME if set, else
// $XDG_DATA_HOME/hush, else ~/.local/share/hush. Tests always set HUSH_HOME to a scratch dir.
#pragma once

#include <string>

namespace hush {

// Throws HUSH_ERR_IO when none of HUSH_HOME, XDG_DATA_HOME and HOME is set. Does not create it.
std::string hush_home_dir();

// mkdir -p, creating missing directories with mode 0700 (recordings and keys are private).
// Throws HUSH_ERR_IO "<path>: cannot create directory: <reason>".
void make_private_dirs(const std::string& path);

}  // namespace hush
