#pragma once
// The XML encoding of ANSI/NIST-ITL 1-2011 as profiled by INTERPOL's INT-I v6 schema
// (int-i.xsd, namespaces itl / biom / nc / int-i), for the records and fields TuskPrint
// exchanges: Type-1, Type-2 (INT-I case identifiers, RLS search results, ERM errors),
// Type-9 EFS (ROI, finger position, minutiae), Type-13 latent image, Type-20 source photo.
#include <string>
#include <string_view>

#include "ansinist/transaction.hpp"

namespace tuskprint::ansinist {

// Encodes `t` in schema element order. Throws kInvalidArgument naming the field when a field
// has no INT-I XML mapping here or lacks what the schema requires (e.g. 1.017 country codes).
std::string write_xml(const Transaction& t);

// Decodes an INT-I XML transaction into the same field model the traditional reader gives
// (dates and versions converted to their traditional form, IDCs as two digits). Elements
// TuskPrint does not map are skipped; records of other types are kept with their IDC and any
// binary object as x.999. Throws kInvalidArgument for empty input, kDataLoss for malformed
// XML, bad base64 or a content summary that disagrees with the records.
Transaction read_xml(std::string_view xml);

std::string base64_encode(std::string_view bytes);
// Whitespace is ignored; throws kDataLoss on any other non-alphabet character or bad padding.
std::string base64_decode(std::string_view text);

}  // namespace tuskprint::ansinist
