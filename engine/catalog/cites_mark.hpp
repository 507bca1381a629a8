#pragma once
// CITES marks on whole tusks and large cut pieces (CITES Res. Conf. 10.10):
// ISO country code, last two digits of the year, serial number, weight in kg,
// written "KE 00/127/14".
#include <string>
#include <string_view>

#include "tuskprint/v1/records.pb.h"

namespace tuskprint::catalog {

// Parses and validates a mark. Accepts extra spaces and '-' or ' ' between the country and
// the year; the serial is 1-10 letters/digits; the weight is a positive number of kg with at
// most 2 decimals. Throws Error(kInvalidArgument) naming what is wrong.
v1::CitesMark parse_cites_mark(std::string_view text);

// "KE 00/127/14" form of a parsed mark.
std::string format_cites_mark(const v1::CitesMark& mark);

}  // namespace tuskprint::catalog
