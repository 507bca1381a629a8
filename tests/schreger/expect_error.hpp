#pragma once
// Checks that a call is refused as bad input with a message naming the problem.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace tuskprint::schreger::testing {

template <typename F>
void expect_invalid(F&& f, const std::string& needle) {
  try {
    f();
    FAIL() << "expected an error mentioning '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace tuskprint::schreger::testing
