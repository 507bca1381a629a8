#pragma once
// engine/ansinist at a glance: ANSI/NIST-ITL 1-2011 (Update 2015) transactions and the
// INTERPOL INT-I v6 profile.
//
//   Transaction t = build_mps(MpsInput{...});        // MPS: Type-1/2/9(EFS)/13 [+20], validated
//   std::string an2 = write_traditional(t);          // tagged/binary encoding, LEN/CNT computed
//   std::string xml = write_xml(t);                  // INT-I XML (validates against int-i.xsd)
//   Transaction r = read_traditional(bytes);         // 0200-0502, 2-digit tags, Type-4 kept opaque
//   Transaction x = read_xml(text);                  // INT-I XML, unknown records kept
//   LatentImport l = import_latent(r);               // Type-13 image + Type-9 EFS minutiae @500 ppi
//   Reply reply = parse_reply(x);                    // SRE 2.064 RLS / ERR 2.074 ERM
//   std::string listing = dump(r);                   // readable listing, binary as "<N bytes>"
//
// Every bad input throws tuskprint::Error with a message naming the record/field: kInvalidArgument
// for rule violations and empty input, kDataLoss for truncated or inconsistent files.
#include "ansinist/dump.hpp"
#include "ansinist/efs.hpp"
#include "ansinist/field_rules.hpp"
#include "ansinist/latent_import.hpp"
#include "ansinist/mps.hpp"
#include "ansinist/replies.hpp"
#include "ansinist/tcn.hpp"
#include "ansinist/traditional.hpp"
#include "ansinist/transaction.hpp"
#include "ansinist/xml.hpp"
