#pragma once
// Tests that play the part of someone with write access to a data directory: SQL run on its
// catalog file behind the catalog's back (to alter the audit log, add a failing trigger...).
#include <filesystem>
#include <string>

namespace tuskprint::testing {

// Runs `sql` on <data_dir>/catalog.sqlite3 in a connection of its own. Returns "" on success,
// else SQLite's message.
std::string exec_on_catalog_file(const std::filesystem::path& data_dir, const std::string& sql);

}  // namespace tuskprint::testing
