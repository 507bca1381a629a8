// The bound on concurrent heavy requests.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "core/error.hpp"
#include "service/work_gate.hpp"

namespace tuskprint::service {
namespace {

using namespace std::chrono_literals;

TEST(WorkGate, RefusesBeyondTheQueueWithResourceExhausted) {
  WorkGate gate(1, 1, 5s);
  auto first = gate.enter("search", std::nullopt);
  // A second caller waits in the queue (one place) ...
  std::promise<void> entered;
  std::thread waiter([&] {
    auto ticket = gate.enter("search", std::nullopt);
    entered.set_value();
  });
  while (gate.waiting() == 0) std::this_thread::sleep_for(1ms);
  // ... a third finds the queue full and is refused at once, naming the state.
  try {
    gate.enter("search", std::nullopt);
    FAIL() << "third caller was let in";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted);
    EXPECT_NE(std::string(e.what()).find("server busy"), std::string::npos) << e.what();
  }
  { auto release = std::move(first); }
  entered.get_future().wait();
  waiter.join();
  EXPECT_EQ(gate.running(), 0);
  EXPECT_EQ(gate.waiting(), 0);
}

TEST(WorkGate, AWaiterGivesUpAtItsDeadline) {
  WorkGate gate(1, 4, 5s);
  auto held = gate.enter("submit_scan", std::nullopt);
  try {
    gate.enter("submit_scan", std::chrono::steady_clock::now() + 30ms);
    FAIL() << "entered while the slot was held";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kDeadlineExceeded);
  }
  EXPECT_EQ(gate.waiting(), 0);
}

TEST(WorkGate, NeverRunsMoreThanTheLimit) {
  WorkGate gate(2, 64, 5s);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      auto ticket = gate.enter("verify", std::nullopt);
      const int now = ++inside;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(2ms);
      --inside;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
}

TEST(WorkGate, ConfigurationIsChecked) {
  EXPECT_THROW(WorkGate(0, 1, 1s), Error);
  EXPECT_THROW(WorkGate(1, -1, 1s), Error);
}

}  // namespace
}  // namespace tuskprint::service
