#pragma once
// Human-readable listing of a transaction: one line per field, binary data as "<N bytes>".
#include <string>

#include "ansinist/transaction.hpp"

namespace tuskprint::ansinist {

std::string dump(const Transaction& t);

}  // namespace tuskprint::ansinist
