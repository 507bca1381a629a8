#pragma once
// Checks on records submitted by labs, before anything is stored. Each throws
// Error(kInvalidArgument) with a message naming the field and what is wrong.
#include "tuskprint/v1/records.pb.h"

namespace tuskprint::catalog {

// Date "YYYY-MM-DD" that exists on the calendar (years 1900-2999).
void validate_date(const char* field, const std::string& value);
// ISO 3166-1 alpha-2 upper case.
void validate_country(const char* field, const std::string& value);

void validate_seizure(const v1::Seizure& seizure);
void validate_specimen(const v1::Specimen& specimen);  // not the CITES mark (parsed separately)
void validate_scan_metadata(const v1::ScanMetadata& metadata);

}  // namespace tuskprint::catalog
