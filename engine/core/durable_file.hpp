#pragma once
// Writing a file so that, once the call returns, the whole file is on disk under its name:
// bytes go to `temp` first, are flushed, renamed over `target`, and the folder is flushed.
// A crash at any point leaves either the old file or the new one, never a partial one.
#include <filesystem>
#include <string_view>

namespace tuskprint {

// Error(kInternal) naming the path when any step fails; the temporary file is removed.
void write_file_durably(const std::filesystem::path& target, const std::filesystem::path& temp,
                        std::string_view bytes);

}  // namespace tuskprint
