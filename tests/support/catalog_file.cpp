#include "catalog_file.hpp"

#include <sqlite3.h>

namespace tuskprint::testing {

std::string exec_on_catalog_file(const std::filesystem::path& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open((data_dir / "catalog.sqlite3").c_str(), &db) != SQLITE_OK) {
    error = db != nullptr ? sqlite3_errmsg(db) : "cannot open the catalog file";
  } else {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      error = message != nullptr ? message : "SQL failed";
    }
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

}  // namespace tuskprint::testing
