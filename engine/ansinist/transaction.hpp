#pragma once
// In-memory ANSI/NIST-ITL transaction, independent of its encoding.
//
// A transaction is a list of records; a record is a list of fields; a field holds
// subfields (repeats), each a list of information items (strings). Binary payloads
// (x.999 DATA) are kept raw in Field::data. Record types that the standard defines as
// all-binary (Types 3-8, e.g. the old Type-4 fingerprint record) are kept whole and
// uninterpreted in Record::opaque, so that a transaction read from a file can be written
// back without loss. Field x.001 LEN and 1.003 CNT are computed by the writers; the
// traditional reader keeps the values it read so that `dump` shows the file as it is.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tuskprint::ansinist {

using Subfield = std::vector<std::string>;  // information items

struct Field {
  int record_type = 0;  // the record type written in the tag ("13" in 13.005)
  int number = 0;       // field number (5 in 13.005)
  std::vector<Subfield> subfields;
  bool binary = false;  // true for x.999 DATA: payload is `data`, subfields empty
  std::string data;

  // A text field with one subfield of one item.
  static Field text(int record_type, int number, std::string value);
  // A text field with one subfield of several items.
  static Field items(int record_type, int number, Subfield items);
  static Field bytes(int record_type, int number, std::string payload);

  // First item of the first subfield, or "" when the field is empty.
  const std::string& value() const;
  // "13.005" (three-digit field number).
  std::string tag() const;
};

struct Record {
  int type = 0;
  std::vector<Field> fields;
  // Binary record types (3-8): the whole record as read, including its 4-byte length.
  std::string opaque;

  bool is_opaque() const { return !opaque.empty(); }
  const Field* find(int number) const;
  Field* find(int number);
  // Value of field `number` (first item), or "" when absent.
  const std::string& value(int number) const;
  // Information designation character (x.002, or byte 4 of a binary record); -1 when absent
  // or not a number.
  int idc() const;
  // Replaces field `number` if present, else inserts it in field-number order.
  void set(Field field);
};

struct Transaction {
  std::vector<Record> records;  // records[0] is Type-1

  const Record* first(int type) const;
  std::vector<const Record*> all(int type) const;
  // Record of `type` with information designation character `idc`, or nullptr.
  const Record* find(int type, int idc) const;
};

// True for the record types the standard encodes as fixed binary headers (Types 3-8).
bool is_binary_record_type(int type);

// Parses a non-negative decimal integer that must fill `text` completely; -1 otherwise.
long long parse_decimal(std::string_view text);

}  // namespace tuskprint::ansinist
