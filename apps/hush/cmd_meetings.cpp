// PLACEHOLDER while issue 5 is being built; replaced by the real command.
#include "apps/hush/commands.h"

namespace hush::cli {

Command add_meetings_command(CLI::App& app) {
  app.add_subcommand("meetings", "(being built)");
  return [] { return 1; };
}

}  // namespace hush::cli
