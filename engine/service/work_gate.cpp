#include "service/work_gate.hpp"

#include "core/error.hpp"

namespace tuskprint::service {

WorkGate::WorkGate(int max_running, int max_waiting, std::chrono::milliseconds max_wait)
    : max_running_(max_running), max_waiting_(max_waiting), max_wait_(max_wait) {
  TP_CHECK(max_running >= 1, kInvalidArgument,
           "at least one heavy request must be allowed to run (got " << max_running << ")");
  TP_CHECK(max_waiting >= 0, kInvalidArgument, "negative queue length " << max_waiting);
}

WorkGate::Ticket::~Ticket() {
  if (gate_ != nullptr) gate_->leave();
}

WorkGate::Ticket WorkGate::enter(const char* what,
                                 std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::unique_lock lock(mutex_);
  if (running_ < max_running_ && waiting_ == 0) {
    ++running_;
    return Ticket(this);
  }
  TP_CHECK(waiting_ < max_waiting_, kResourceExhausted,
           "server busy: " << running_ << " heavy requests running and " << waiting_
                           << " waiting (limit " << max_waiting_ << "); retry " << what
                           << " later");
  auto until = std::chrono::steady_clock::now() + max_wait_;
  if (deadline.has_value() && *deadline < until) until = *deadline;
  ++waiting_;
  const bool got_turn = turn_.wait_until(lock, until, [&] { return running_ < max_running_; });
  --waiting_;
  TP_CHECK(got_turn, kDeadlineExceeded,
           what << " waited for a free slot until its deadline (" << running_
                << " heavy requests running)");
  ++running_;
  return Ticket(this);
}

void WorkGate::leave() {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  turn_.notify_one();
}

int WorkGate::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

int WorkGate::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

}  // namespace tuskprint::service
