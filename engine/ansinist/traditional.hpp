#pragma once
// The traditional ANSI/NIST-ITL encoding: tagged fields `T.FFF:value` separated by
// GS (0x1D), subfields by RS (0x1E), information items by US (0x1F), each record closed by
// FS (0x1C); binary data (x.999) last and unescaped; the old all-binary records (Types 3-8,
// e.g. Type-4) as a 4-byte big-endian length followed by a fixed binary header and data.
#include <string>
#include <string_view>

#include "ansinist/transaction.hpp"

namespace tuskprint::ansinist {

inline constexpr char kFS = '\x1C';  // ends a record
inline constexpr char kGS = '\x1D';  // between fields
inline constexpr char kRS = '\x1E';  // between subfields
inline constexpr char kUS = '\x1F';  // between information items

// Encodes `t`. x.001 LEN of every record and 1.003 CNT are computed (values in `t` are
// ignored); fields are written in field-number order with x.999 last. Throws
// kInvalidArgument naming the field when an item contains a separator character, when a
// field other than x.999 is binary, or when the first record is not Type-1.
std::string write_traditional(const Transaction& t);

// Decodes a traditional file. Accepts versions 0200-0502, one- to three-digit field
// numbers, binary record types 3-8 (kept opaque) and record types TuskPrint does not use
// (kept as parsed). Throws kInvalidArgument (empty input) or kDataLoss (truncated or
// inconsistent file: LEN beyond the end, missing FS, CNT disagreeing with the records,
// malformed tags) with a message naming the record and byte offset. Never reads past
// `bytes`.
Transaction read_traditional(std::string_view bytes);

// Values of 1.003 CNT as (record type, IDC) pairs, after the leading "1<US>n" subfield.
struct ContentEntry {
  int type = 0;
  int idc = 0;
};
std::vector<ContentEntry> content_list(const Transaction& t);

}  // namespace tuskprint::ansinist
