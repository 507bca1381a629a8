#include "ansinist/xml.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include "core/error.hpp"

namespace tuskprint::ansinist {
namespace {

constexpr const char* kNsItl = "http://biometrics.nist.gov/standard/2011";
constexpr const char* kNsBiom = "http://niem.gov/niem/biometrics/1.0";
constexpr const char* kNsNc = "http://niem.gov/niem/niem-core/2.0";
constexpr const char* kNsIntI = "http://interpol.gov/int-i/1.0";

// ---------------------------------------------------------------- writing

class XmlOut {
 public:
  void open(const char* name) {
    indent();
    out_ += '<';
    out_ += name;
    out_ += ">\n";
    ++depth_;
  }
  void close(const char* name) {
    --depth_;
    indent();
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void leaf(const char* name, std::string_view text) {
    indent();
    out_ += '<';
    out_ += name;
    out_ += '>';
    escape(text);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  // <outer><nc:IdentificationID>text</nc:IdentificationID></outer>
  void id(const char* outer, std::string_view text) {
    open(outer);
    leaf("nc:IdentificationID", text);
    close(outer);
  }
  void raw(std::string_view s) { out_ += s; }
  std::string take() { return std::move(out_); }

 private:
  void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }
  void escape(std::string_view text) {
    for (char c : text) {
      switch (c) {
        case '&': out_ += "&amp;"; break;
        case '<': out_ += "&lt;"; break;
        case '>': out_ += "&gt;"; break;
        case '"': out_ += "&quot;"; break;
        default: out_ += c;
      }
    }
  }
  std::string out_;
  int depth_ = 1;  // records sit inside the package element
};

// Fields a record writer consumed; anything else in the record has no mapping.
class FieldCursor {
 public:
  explicit FieldCursor(const Record& r) : r_(r) {}
  const Field* take(int number) {
    used_.push_back(number);
    return r_.find(number);
  }
  const std::string& value(int number) {
    used_.push_back(number);
    return r_.value(number);
  }
  const Field& require(int number, const char* mnemonic) {
    const Field* f = take(number);
    TP_CHECK(f, kInvalidArgument,
             "field " << r_.type << "." << pad(number) << " " << mnemonic
                      << ": required by the INT-I XML schema but missing");
    return *f;
  }
  void check_all_mapped() const {
    for (const Field& f : r_.fields) {
      if (f.number == 1 || f.number == 2) continue;
      bool used = false;
      for (int n : used_) used = used || n == f.number;
      TP_CHECK(used, kInvalidArgument,
               "field " << f.tag() << " has no INT-I XML mapping in TuskPrint's writer");
    }
  }
  static std::string pad(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", n);
    return buf;
  }

 private:
  const Record& r_;
  std::vector<int> used_;
};

const std::string& item(const Field& f, std::size_t sub, std::size_t i) {
  static const std::string empty;
  if (sub >= f.subfields.size() || i >= f.subfields[sub].size()) return empty;
  return f.subfields[sub][i];
}

std::string xml_idc(const Record& r) { return std::to_string(std::max(r.idc(), 0)); }

// YYYYMMDD -> YYYY-MM-DD
std::string xml_date(const std::string& d, const char* tag) {
  TP_CHECK(d.size() == 8 && parse_decimal(d) >= 0, kInvalidArgument,
           "field " << tag << ": '" << d << "' is not YYYYMMDD");
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

// YYYYMMDDhhmmssZ -> YYYY-MM-DDThh:mm:ssZ
std::string xml_utc(const std::string& g) {
  TP_CHECK(g.size() == 15 && g[14] == 'Z' && parse_decimal(g.substr(0, 8)) >= 0 && parse_decimal(g.substr(8, 6)) >= 0,
           kInvalidArgument,
           "field 1.014 GMT: '" << g << "' is not YYYYMMDDhhmmssZ");
  return xml_date(g.substr(0, 8), "1.014 GMT") + "T" + g.substr(8, 2) + ":" + g.substr(10, 2) + ":" +
         g.substr(12, 2) + "Z";
}

void write_organization(XmlOut& x, const char* element, const std::string& id, const std::string& name,
                        const std::string& country, const char* which) {
  TP_CHECK(!name.empty(), kInvalidArgument, "field 1.017 ANM: " << which << " agency name is missing");
  TP_CHECK(!country.empty(), kInvalidArgument,
           "field 1.017 ANM: the XML encoding needs the " << which << " country code (ISO 3166 alpha-3)");
  x.open(element);
  if (!id.empty()) x.id("nc:OrganizationIdentification", id);
  x.leaf("nc:OrganizationName", name);
  x.leaf("int-i:LocationCountryISO3166Alpha3Code", country);
  x.close(element);
}

void write_type1(XmlOut& x, const Transaction& t) {
  const Record& r = t.records.front();
  FieldCursor c(r);
  c.take(3);  // CNT is rebuilt from the records
  x.open("itl:PackageInformationRecord");
  x.leaf("biom:RecordCategoryCode", "1");
  x.open("biom:Transaction");
  x.open("biom:TransactionDate");
  x.leaf("nc:Date", xml_date(c.require(5, "DAT").value(), "1.005 DAT"));
  x.close("biom:TransactionDate");
  const Field& anm = c.require(17, "ANM");
  write_organization(x, "int-i:TransactionDestinationOrganization", c.value(7), item(anm, 0, 0), item(anm, 0, 2),
                     "destination");
  write_organization(x, "int-i:TransactionOriginatingOrganization", c.value(8), item(anm, 0, 1), item(anm, 0, 3),
                     "originating");
  if (const Field* gmt = c.take(14)) {
    x.open("biom:TransactionUTCDate");
    x.leaf("nc:DateTime", xml_utc(gmt->value()));
    x.close("biom:TransactionUTCDate");
  }
  x.id("biom:TransactionControlIdentification", c.require(9, "TCN").value());
  if (const Field* tcr = c.take(10)) x.id("biom:TransactionControlReferenceIdentification", tcr->value());
  if (const Field* dom = c.take(13)) {
    std::string version = item(*dom, 0, 1);
    if (version.size() == 4 && parse_decimal(version) >= 0) version = version.substr(0, 2) + "." + version.substr(2);
    x.open("biom:TransactionDomain");
    x.id("biom:DomainVersionNumberIdentification", version);
    x.leaf("biom:TransactionDomainName", item(*dom, 0, 0));
    x.close("biom:TransactionDomain");
  }
  x.open("biom:TransactionImageResolutionDetails");
  x.leaf("biom:NativeScanningResolutionValue", c.require(11, "NSR").value());
  x.leaf("biom:NominalTransmittingResolutionValue", c.require(12, "NTR").value());
  x.close("biom:TransactionImageResolutionDetails");
  const std::string& ver = c.require(2, "VER").value();
  TP_CHECK(ver.size() == 4 && parse_decimal(ver) >= 0, kInvalidArgument, "field 1.002 VER: '" << ver << "' is not 4 digits");
  x.leaf("biom:TransactionMajorVersionValue", ver.substr(0, 2));
  x.leaf("biom:TransactionMinorVersionValue", ver.substr(2, 2));
  if (const Field* pry = c.take(6)) x.leaf("biom:TransactionPriorityValue", pry->value());
  x.leaf("int-i:TransactionCategoryCode", c.require(4, "TOT").value());
  x.open("biom:TransactionContentSummary");
  x.leaf("biom:ContentFirstRecordCategoryCode", "1");
  x.leaf("biom:ContentRecordQuantity", std::to_string(t.records.size() - 1));
  for (std::size_t i = 1; i < t.records.size(); ++i) {
    x.open("biom:ContentRecordSummary");
    x.id("biom:ImageReferenceIdentification", xml_idc(t.records[i]));
    x.leaf("biom:RecordCategoryCode", std::to_string(t.records[i].type));
    x.close("biom:ContentRecordSummary");
  }
  x.close("biom:TransactionContentSummary");
  x.close("biom:Transaction");
  x.close("itl:PackageInformationRecord");
  c.check_all_mapped();
}

void write_record_head(XmlOut& x, const Record& r) {
  x.leaf("biom:RecordCategoryCode", std::to_string(r.type));
  x.id("biom:ImageReferenceIdentification", xml_idc(r));
}

void write_type2(XmlOut& x, const Record& r) {
  FieldCursor c(r);
  x.open("itl:PackageDescriptiveTextRecord");
  write_record_head(x, r);
  x.open("itl:UserDefinedDescriptiveDetail");
  x.open("int-i:DomainDefinedDescriptiveDetail");
  const Field* cno = c.take(7);
  const Field* sqn = c.take(8);
  const Field* mid = c.take(9);
  if (cno || sqn || mid) {
    x.open("int-i:RecordMetadata");
    x.open("int-i:MiscellaneousIdentification");
    if (cno) {
      x.open("int-i:NationalCaseIdentifier");
      x.leaf("int-i:LocationCountryISO3166Alpha3Code", item(*cno, 0, 0));
      x.leaf("nc:IdentificationID", item(*cno, 0, 1));
      x.close("int-i:NationalCaseIdentifier");
    }
    if (sqn) x.leaf("int-i:LatentCaseEvidenceIdentifier", sqn->value());
    if (mid) x.leaf("int-i:LatentIdentifier", mid->value());
    x.close("int-i:MiscellaneousIdentification");
    x.close("int-i:RecordMetadata");
  }
  const Field* erm = c.take(74);
  const Field* rls = c.take(64);
  if (erm || rls) {
    x.open("int-i:TransactionResponseData");
    if (erm) {
      for (std::size_t s = 0; s < erm->subfields.size(); ++s) {
        x.open("int-i:ErrorMessage");
        if (!item(*erm, s, 0).empty()) x.leaf("int-i:ErrorCode", item(*erm, s, 0));
        if (!item(*erm, s, 1).empty()) x.leaf("int-i:ErrorFieldMnemonicCode", item(*erm, s, 1));
        if (!item(*erm, s, 2).empty()) x.leaf("int-i:ErrorMessageText", item(*erm, s, 2));
        x.close("int-i:ErrorMessage");
      }
    }
    if (rls) {
      x.open("int-i:RespondentsList");
      x.open("int-i:TransactionCandidate");
      x.id("int-i:CandidateSequenceID", item(*rls, 0, 0));
      x.leaf("int-i:TransactionCandidateManualVerificationIndicator", item(*rls, 0, 1));
      x.close("int-i:TransactionCandidate");
      x.leaf("int-i:TransactionCandidatesTotalQuantity", item(*rls, 0, 2));
      x.leaf("int-i:TransactionCategoryCode", item(*rls, 0, 3));
      x.leaf("int-i:TransactionSearchResultsCode", item(*rls, 0, 4));
      x.close("int-i:RespondentsList");
    }
    x.close("int-i:TransactionResponseData");
  }
  x.close("int-i:DomainDefinedDescriptiveDetail");
  x.close("itl:UserDefinedDescriptiveDetail");
  x.close("itl:PackageDescriptiveTextRecord");
  c.check_all_mapped();
}

void write_type9(XmlOut& x, const Record& r) {
  FieldCursor c(r);
  x.open("itl:PackageMinutiaeRecord");
  write_record_head(x, r);
  x.leaf("biom:MinutiaeImpressionCaptureCategoryCode", c.require(3, "IMP").value());
  const std::string& fmt = c.require(4, "FMT").value();
  x.leaf("biom:MinutiaeFormatNISTStandardIndicator", fmt == "S" ? "true" : "false");
  x.open("biom:ExtendedFeatureSetMinutiae");
  const Field& roi = c.require(300, "ROI");
  x.open("biom:FrictionRidgeImageRegionOfInterest");
  x.leaf("biom:ImageSegmentWidthMeasure", item(roi, 0, 0));
  x.leaf("biom:ImageSegmentHeightMeasure", item(roi, 0, 1));
  x.leaf("biom:ImageSegmentHorizontalOffsetMeasure", item(roi, 0, 2).empty() ? "0" : item(roi, 0, 2));
  x.leaf("biom:ImageSegmentVerticalOffsetMeasure", item(roi, 0, 3).empty() ? "0" : item(roi, 0, 3));
  x.close("biom:FrictionRidgeImageRegionOfInterest");
  if (const Field* fpp = c.take(302)) {
    for (std::size_t s = 0; s < fpp->subfields.size(); ++s) {
      x.open("biom:MinutiaeFingerLocation");
      x.leaf("biom:FingerPositionCode", item(*fpp, s, 0));
      x.close("biom:MinutiaeFingerLocation");
    }
  }
  if (const Field* min = c.take(331)) {
    for (std::size_t s = 0; s < min->subfields.size(); ++s) {
      x.open("biom:EFSMinutia");
      x.leaf("biom:ImageLocationHorizontalCoordinateMeasure", item(*min, s, 0));
      x.leaf("biom:ImageLocationVerticalCoordinateMeasure", item(*min, s, 1));
      x.leaf("biom:ImageLocationThetaAngleMeasure", item(*min, s, 2));
      x.leaf("biom:EFSMinutiaCategoryCode", item(*min, s, 3));
      x.close("biom:EFSMinutia");
    }
  }
  x.close("biom:ExtendedFeatureSetMinutiae");
  x.close("itl:PackageMinutiaeRecord");
  c.check_all_mapped();
}

void write_capture_detail(XmlOut& x, const std::string& date, const std::string& agency) {
  x.open("biom:ImageCaptureDetail");
  if (!date.empty()) {
    x.open("biom:CaptureDate");
    x.leaf("nc:Date", xml_date(date, "LCD"));
    x.close("biom:CaptureDate");
  }
  x.open("biom:CaptureOrganization");
  x.id("nc:OrganizationIdentification", agency);
  x.close("biom:CaptureOrganization");
  x.close("biom:ImageCaptureDetail");
}

void write_type13(XmlOut& x, const Record& r) {
  FieldCursor c(r);
  x.open("itl:PackageLatentImageRecord");
  write_record_head(x, r);
  x.open("biom:FingerImpressionImage");
  x.leaf("nc:BinaryBase64Object", base64_encode(c.require(999, "DATA").data));
  x.leaf("biom:ImageBitsPerPixelQuantity", c.require(12, "BPX").value());
  write_capture_detail(x, c.require(5, "LCD").value(), c.require(4, "SRC").value());
  x.leaf("biom:ImageCompressionAlgorithmText", c.require(11, "CGA").value());
  x.leaf("biom:ImageHorizontalLineLengthPixelQuantity", c.require(6, "HLL").value());
  x.leaf("biom:ImageHorizontalPixelDensityValue", c.require(9, "THPS").value());
  x.leaf("biom:ImageScaleUnitsCode", c.require(8, "SLC").value());
  x.leaf("biom:ImageVerticalLineLengthPixelQuantity", c.require(7, "VLL").value());
  x.leaf("biom:ImageVerticalPixelDensityValue", c.require(10, "TVPS").value());
  x.leaf("biom:FingerprintImageImpressionCaptureCategoryCode", c.require(3, "IMP").value());
  const Field& fgp = c.require(13, "FGP");
  for (std::size_t s = 0; s < fgp.subfields.size(); ++s) x.leaf("biom:FingerPositionCode", item(fgp, s, 0));
  x.close("biom:FingerImpressionImage");
  x.close("itl:PackageLatentImageRecord");
  c.check_all_mapped();
}

void write_type20(XmlOut& x, const Record& r) {
  FieldCursor c(r);
  x.open("itl:PackageSourceRepresentationRecord");
  write_record_head(x, r);
  x.leaf("biom:SourceRecordCardinalityCode", c.require(3, "CAR").value());
  x.open("biom:SourceAcquisition");
  x.leaf("biom:AcquisitionSourceCode", c.require(14, "AQS").value());
  x.close("biom:SourceAcquisition");
  x.open("biom:SourceFileFormat");
  x.leaf("biom:SourceFileCategoryText", c.require(15, "SFT").value());
  x.close("biom:SourceFileFormat");
  x.id("biom:SourceIdentification", c.require(21, "SRN").value());
  x.open("biom:SourceImage");
  if (const Field* data = c.take(999)) x.leaf("nc:BinaryBase64Object", base64_encode(data->data));
  write_capture_detail(x, "", c.require(4, "SRC").value());
  x.close("biom:SourceImage");
  x.close("itl:PackageSourceRepresentationRecord");
  c.check_all_mapped();
}

// ---------------------------------------------------------------- reading

using DocPtr = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

bool is(const xmlNode* n, const char* local) {
  return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST local) == 0;
}

const xmlNode* child(const xmlNode* n, const char* local) {
  if (!n) return nullptr;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (is(c, local)) return c;
  return nullptr;
}

std::vector<const xmlNode*> children(const xmlNode* n, const char* local) {
  std::vector<const xmlNode*> out;
  if (!n) return out;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (is(c, local)) out.push_back(c);
  return out;
}

const xmlNode* path(const xmlNode* n, std::initializer_list<const char*> locals) {
  for (const char* l : locals) n = child(n, l);
  return n;
}

std::string text(const xmlNode* n) {
  if (!n) return {};
  xmlChar* s = xmlNodeGetContent(n);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  const auto first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = out.find_last_not_of(" \t\r\n");
  return out.substr(first, last - first + 1);
}

std::string text_at(const xmlNode* n, std::initializer_list<const char*> locals) { return text(path(n, locals)); }

// The first element named `local` anywhere below `n` (depth-first), or nullptr.
const xmlNode* descendant(const xmlNode* n, const char* local, int depth = 0) {
  if (!n || depth > 64) return nullptr;
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (is(c, local)) return c;
    if (const xmlNode* d = descendant(c, local, depth + 1)) return d;
  }
  return nullptr;
}

std::string digits_only(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

std::string trad_idc(const std::string& s) {
  const long long v = parse_decimal(s);
  TP_CHECK(v >= 0 && v <= 255, kDataLoss, "XML record IDC '" << s << "' is not a number 0-255");
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02lld", v);
  return buf;
}

void set_if(Record& r, int number, const std::string& value) {
  if (!value.empty()) r.set(Field::text(r.type, number, value));
}

void read_head(const xmlNode* n, Record& r, int type) {
  r.type = type;
  r.set(Field::text(type, 2, trad_idc(text_at(n, {"ImageReferenceIdentification", "IdentificationID"}))));
}

// 2016-04-11 or 2016-04-11T10:00:00Z -> 20160411
std::string trad_date(const std::string& s) { return digits_only(s.substr(0, 10)); }

// 2016-04-10T10:46:32Z -> 20160410104632Z; other forms (offsets) kept as digits of date+time.
std::string trad_utc(const std::string& s) { return digits_only(s.substr(0, 19)) + (s.empty() ? "" : "Z"); }

Record read_type1(const xmlNode* n) {
  Record r;
  r.type = 1;
  const xmlNode* tr = child(n, "Transaction");
  TP_CHECK(tr, kDataLoss, "XML Type-1 record has no biom:Transaction element");
  const std::string major = text_at(tr, {"TransactionMajorVersionValue"});
  const std::string minor = text_at(tr, {"TransactionMinorVersionValue"});
  set_if(r, 2, major + minor);
  const xmlNode* summary = child(tr, "TransactionContentSummary");
  TP_CHECK(summary, kDataLoss, "XML Type-1 record has no biom:TransactionContentSummary (1.003 CNT)");
  Field cnt = Field::items(1, 3, {"1", text_at(summary, {"ContentRecordQuantity"})});
  for (const xmlNode* s : children(summary, "ContentRecordSummary"))
    cnt.subfields.push_back({text_at(s, {"RecordCategoryCode"}),
                             trad_idc(text_at(s, {"ImageReferenceIdentification", "IdentificationID"}))});
  r.set(cnt);
  const xmlNode* category = child(tr, "TransactionCategoryCode");
  if (!category) category = descendant(tr, "TransactionCategoryCode");
  set_if(r, 4, text(category));
  std::string dat = text_at(tr, {"TransactionDate", "Date"});
  if (dat.empty()) dat = text_at(tr, {"TransactionDate", "DateTime"});
  set_if(r, 5, trad_date(dat));
  set_if(r, 6, text_at(tr, {"TransactionPriorityValue"}));
  const xmlNode* dest = child(tr, "TransactionDestinationOrganization");
  const xmlNode* orig = child(tr, "TransactionOriginatingOrganization");
  set_if(r, 7, text_at(dest, {"OrganizationIdentification", "IdentificationID"}));
  set_if(r, 8, text_at(orig, {"OrganizationIdentification", "IdentificationID"}));
  set_if(r, 9, text_at(tr, {"TransactionControlIdentification", "IdentificationID"}));
  set_if(r, 10, text_at(tr, {"TransactionControlReferenceIdentification", "IdentificationID"}));
  set_if(r, 11, text_at(tr, {"TransactionImageResolutionDetails", "NativeScanningResolutionValue"}));
  set_if(r, 12, text_at(tr, {"TransactionImageResolutionDetails", "NominalTransmittingResolutionValue"}));
  if (const xmlNode* dom = child(tr, "TransactionDomain")) {
    std::string version = text_at(dom, {"DomainVersionNumberIdentification", "IdentificationID"});
    if (version.size() == 5 && version[2] == '.') version = version.substr(0, 2) + version.substr(3);
    r.set(Field::items(1, 13, {text_at(dom, {"TransactionDomainName"}), version}));
  }
  std::string gmt = text_at(tr, {"TransactionUTCDate", "DateTime"});
  if (!gmt.empty()) r.set(Field::text(1, 14, trad_utc(gmt)));
  if (dest || orig) {
    Subfield anm{text_at(dest, {"OrganizationName"}), text_at(orig, {"OrganizationName"})};
    const std::string dc = text_at(dest, {"LocationCountryISO3166Alpha3Code"});
    const std::string oc = text_at(orig, {"LocationCountryISO3166Alpha3Code"});
    if (!dc.empty() || !oc.empty()) {
      anm.push_back(dc);
      anm.push_back(oc);
    }
    r.set(Field::items(1, 17, anm));
  }
  return r;
}

Record read_type2(const xmlNode* n) {
  Record r;
  read_head(n, r, 2);
  const xmlNode* detail = path(n, {"UserDefinedDescriptiveDetail", "DomainDefinedDescriptiveDetail"});
  const xmlNode* misc = path(detail, {"RecordMetadata", "MiscellaneousIdentification"});
  if (const xmlNode* cno = child(misc, "NationalCaseIdentifier"))
    r.set(Field::items(2, 7, {text_at(cno, {"LocationCountryISO3166Alpha3Code"}), text_at(cno, {"IdentificationID"})}));
  set_if(r, 8, text_at(misc, {"LatentCaseEvidenceIdentifier"}));
  set_if(r, 9, text_at(misc, {"LatentIdentifier"}));
  const xmlNode* response = child(detail, "TransactionResponseData");
  if (const xmlNode* rls = child(response, "RespondentsList")) {
    const xmlNode* cand = child(rls, "TransactionCandidate");
    r.set(Field::items(2, 64,
                       {text_at(cand, {"CandidateSequenceID", "IdentificationID"}),
                        text_at(cand, {"TransactionCandidateManualVerificationIndicator"}),
                        text_at(rls, {"TransactionCandidatesTotalQuantity"}), text_at(rls, {"TransactionCategoryCode"}),
                        text_at(rls, {"TransactionSearchResultsCode"})}));
  }
  const auto errors = children(response, "ErrorMessage");
  if (!errors.empty()) {
    Field erm;
    erm.record_type = 2;
    erm.number = 74;
    for (const xmlNode* e : errors)
      erm.subfields.push_back({text_at(e, {"ErrorCode"}), text_at(e, {"ErrorFieldMnemonicCode"}),
                               text_at(e, {"ErrorMessageText"})});
    r.set(erm);
  }
  return r;
}

Record read_type9(const xmlNode* n) {
  Record r;
  read_head(n, r, 9);
  set_if(r, 3, text_at(n, {"MinutiaeImpressionCaptureCategoryCode"}));
  const std::string nist = text_at(n, {"MinutiaeFormatNISTStandardIndicator"});
  if (!nist.empty()) r.set(Field::text(9, 4, nist == "true" || nist == "1" ? "S" : "U"));
  const xmlNode* efs = child(n, "ExtendedFeatureSetMinutiae");
  if (!efs) return r;
  if (const xmlNode* roi = child(efs, "FrictionRidgeImageRegionOfInterest")) {
    Subfield items{text_at(roi, {"ImageSegmentWidthMeasure"}), text_at(roi, {"ImageSegmentHeightMeasure"})};
    const std::string ho = text_at(roi, {"ImageSegmentHorizontalOffsetMeasure"});
    const std::string vo = text_at(roi, {"ImageSegmentVerticalOffsetMeasure"});
    if ((!ho.empty() && ho != "0") || (!vo.empty() && vo != "0")) {
      items.push_back(ho);
      items.push_back(vo);
    }
    r.set(Field::items(9, 300, items));
  }
  Field fpp;
  fpp.record_type = 9;
  fpp.number = 302;
  for (const xmlNode* loc : children(efs, "MinutiaeFingerLocation"))
    fpp.subfields.push_back({text_at(loc, {"FingerPositionCode"})});
  if (!fpp.subfields.empty()) r.set(fpp);
  Field min;
  min.record_type = 9;
  min.number = 331;
  for (const xmlNode* m : children(efs, "EFSMinutia"))
    min.subfields.push_back({text_at(m, {"ImageLocationHorizontalCoordinateMeasure"}),
                             text_at(m, {"ImageLocationVerticalCoordinateMeasure"}),
                             text_at(m, {"ImageLocationThetaAngleMeasure"}), text_at(m, {"EFSMinutiaCategoryCode"})});
  if (!min.subfields.empty()) r.set(min);
  return r;
}

void read_capture_detail(const xmlNode* detail, Record& r, int src_field, int date_field) {
  set_if(r, src_field, text_at(detail, {"CaptureOrganization", "OrganizationIdentification", "IdentificationID"}));
  if (date_field) {
    std::string d = text_at(detail, {"CaptureDate", "Date"});
    if (d.empty()) d = text_at(detail, {"CaptureDate", "DateTime"});
    set_if(r, date_field, trad_date(d));
  }
}

Record read_type13(const xmlNode* n) {
  Record r;
  read_head(n, r, 13);
  const xmlNode* img = child(n, "FingerImpressionImage");
  if (!img) img = child(n, "FrictionRidgeImage");
  if (!img) img = child(n, "PalmprintImage");
  if (!img) img = child(n, "PlantarImage");
  TP_CHECK(img, kDataLoss, "XML Type-13 record has no image element");
  std::string imp = text_at(img, {"FingerprintImageImpressionCaptureCategoryCode"});
  if (imp.empty()) imp = text(descendant(img, "FrictionRidgeImageImpressionCaptureCategoryCode"));
  set_if(r, 3, imp);
  read_capture_detail(child(img, "ImageCaptureDetail"), r, 4, 5);
  set_if(r, 6, text_at(img, {"ImageHorizontalLineLengthPixelQuantity"}));
  set_if(r, 7, text_at(img, {"ImageVerticalLineLengthPixelQuantity"}));
  set_if(r, 8, text_at(img, {"ImageScaleUnitsCode"}));
  set_if(r, 9, text_at(img, {"ImageHorizontalPixelDensityValue"}));
  set_if(r, 10, text_at(img, {"ImageVerticalPixelDensityValue"}));
  set_if(r, 11, text_at(img, {"ImageCompressionAlgorithmText"}));
  set_if(r, 12, text_at(img, {"ImageBitsPerPixelQuantity"}));
  Field fgp;
  fgp.record_type = 13;
  fgp.number = 13;
  for (const xmlNode* p : children(img, "FingerPositionCode")) fgp.subfields.push_back({text(p)});
  if (!fgp.subfields.empty()) r.set(fgp);
  if (const xmlNode* data = child(img, "BinaryBase64Object")) r.set(Field::bytes(13, 999, base64_decode(text(data))));
  return r;
}

Record read_type20(const xmlNode* n) {
  Record r;
  read_head(n, r, 20);
  set_if(r, 3, text_at(n, {"SourceRecordCardinalityCode"}));
  set_if(r, 14, text_at(n, {"SourceAcquisition", "AcquisitionSourceCode"}));
  set_if(r, 15, text_at(n, {"SourceFileFormat", "SourceFileCategoryText"}));
  set_if(r, 21, text_at(n, {"SourceIdentification", "IdentificationID"}));
  const xmlNode* img = child(n, "SourceImage");
  if (img) {
    read_capture_detail(child(img, "ImageCaptureDetail"), r, 4, 0);
    if (const xmlNode* data = child(img, "BinaryBase64Object")) r.set(Field::bytes(20, 999, base64_decode(text(data))));
  }
  return r;
}

// Records TuskPrint does not interpret: type, IDC and the first binary object, if any.
Record read_other(const xmlNode* n) {
  const long long type = parse_decimal(text_at(n, {"RecordCategoryCode"}));
  TP_CHECK(type >= 2 && type <= 99, kDataLoss,
           "XML record <" << reinterpret_cast<const char*>(n->name) << "> has no valid biom:RecordCategoryCode");
  Record r;
  read_head(n, r, static_cast<int>(type));
  if (const xmlNode* data = descendant(n, "BinaryBase64Object"))
    r.set(Field::bytes(r.type, 999, base64_decode(text(data))));
  return r;
}

}  // namespace

std::string base64_encode(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned acc = 0;
  int bits = 0;
  std::size_t padding = 0, position = 0;
  for (char c : text) {
    ++position;
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') {
      ++padding;
      continue;
    } else {
      TP_THROW(kDataLoss, "base64 data: invalid character 0x" << std::hex << (static_cast<int>(c) & 0xFF)
                                                               << std::dec << " at position " << position);
    }
    TP_CHECK(padding == 0, kDataLoss, "base64 data: characters after '=' padding");
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  TP_CHECK(padding <= 2 && bits < 6, kDataLoss, "base64 data: truncated or badly padded");
  return out;
}

std::string write_xml(const Transaction& t) {
  TP_CHECK(!t.records.empty() && t.records.front().type == 1, kInvalidArgument,
           "transaction must start with a Type-1 record");
  XmlOut x;
  x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  x.raw(std::string("<itl:NISTBiometricInformationExchangePackage xmlns:itl=\"") + kNsItl + "\" xmlns:biom=\"" +
        kNsBiom + "\" xmlns:nc=\"" + kNsNc + "\" xmlns:int-i=\"" + kNsIntI + "\">\n");
  // Records in schema order within the package: information, descriptive text, minutiae,
  // latent image, source representation (the order INT-I requires matches CNT order when
  // records are built by type, which build_mps does).
  write_type1(x, t);
  for (std::size_t i = 1; i < t.records.size(); ++i) {
    const Record& r = t.records[i];
    TP_CHECK(r.idc() >= 0, kInvalidArgument, "record " << i + 1 << " (Type-" << r.type << ") has no IDC");
    switch (r.type) {
      case 2: write_type2(x, r); break;
      case 9: write_type9(x, r); break;
      case 13: write_type13(x, r); break;
      case 20: write_type20(x, r); break;
      default:
        TP_THROW(kInvalidArgument, "record " << i + 1 << ": Type-" << r.type
                                             << " has no INT-I XML mapping in TuskPrint's writer");
    }
  }
  x.raw("</itl:NISTBiometricInformationExchangePackage>\n");
  return x.take();
}

Transaction read_xml(std::string_view xml) {
  TP_CHECK(!xml.empty(), kInvalidArgument, "empty input: not an ANSI/NIST-ITL XML transaction");
  TP_CHECK(xml.size() < static_cast<std::size_t>(INT_MAX), kResourceExhausted, "XML input too large");
  // No network, no entity expansion beyond the document; HUGE lets multi-megabyte base64
  // images through as single text nodes.
  DocPtr doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "transaction.xml", nullptr,
                           XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
             &xmlFreeDoc);
  if (!doc) {
    const xmlError* err = xmlGetLastError();
    TP_THROW(kDataLoss, "malformed XML" << (err ? std::string(" at line ") + std::to_string(err->line) + ": " +
                                                      (err->message ? err->message : "")
                                                : std::string()));
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  TP_CHECK(is(root, "NISTBiometricInformationExchangePackage"), kDataLoss,
           "XML root element is <" << (root ? reinterpret_cast<const char*>(root->name) : "none")
                                   << ">, not itl:NISTBiometricInformationExchangePackage");
  Transaction t;
  for (const xmlNode* n = root->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (is(n, "PackageInformationRecord")) {
      TP_CHECK(t.records.empty(), kDataLoss, "XML transaction has more than one Type-1 record or it is not first");
      t.records.push_back(read_type1(n));
      continue;
    }
    TP_CHECK(!t.records.empty(), kDataLoss, "XML transaction does not start with itl:PackageInformationRecord");
    if (is(n, "PackageDescriptiveTextRecord")) t.records.push_back(read_type2(n));
    else if (is(n, "PackageMinutiaeRecord")) t.records.push_back(read_type9(n));
    else if (is(n, "PackageLatentImageRecord")) t.records.push_back(read_type13(n));
    else if (is(n, "PackageSourceRepresentationRecord")) t.records.push_back(read_type20(n));
    else t.records.push_back(read_other(n));
  }
  TP_CHECK(!t.records.empty(), kDataLoss, "XML transaction has no itl:PackageInformationRecord");
  // The content summary must describe the records that follow, in order.
  const Field* cnt = t.records.front().find(3);
  const std::string& quantity = cnt->subfields.front().size() > 1 ? cnt->subfields.front()[1] : cnt->value();
  const long long declared = parse_decimal(quantity);
  TP_CHECK(declared == static_cast<long long>(t.records.size()) - 1 &&
               cnt->subfields.size() == t.records.size(),
           kDataLoss,
           "XML content summary (1.003 CNT) declares " << quantity << " records and lists "
                                                       << cnt->subfields.size() - 1 << " but the package holds "
                                                       << t.records.size() - 1);
  for (std::size_t i = 1; i < t.records.size(); ++i)
    TP_CHECK(parse_decimal(cnt->subfields[i][0]) == t.records[i].type, kDataLoss,
             "XML content summary (1.003 CNT) entry " << i << " says Type-" << cnt->subfields[i][0]
                                                      << " but record " << i + 1 << " is Type-" << t.records[i].type);
  return t;
}

}  // namespace tuskprint::ansinist
