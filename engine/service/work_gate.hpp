#pragma once
// Bounds the heavy requests (feature extraction, search, verification) that run at once.
// Up to `max_running` run; up to `max_waiting` more wait their turn (until their deadline);
// anything beyond is refused at once with kResourceExhausted, so that a burst of clients
// gets a clear "busy" answer instead of an unbounded queue and memory growth.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace tuskprint::service {

class WorkGate {
 public:
  WorkGate(int max_running, int max_waiting, std::chrono::milliseconds max_wait);

  // Held while the work runs; leaving the scope lets the next one in.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();

   private:
    friend class WorkGate;
    explicit Ticket(WorkGate* gate) : gate_(gate) {}
    WorkGate* gate_;
  };

  // Error(kResourceExhausted) when the queue is full, Error(kDeadlineExceeded) when the
  // deadline (or max_wait) passes while waiting. `what` names the work in the message.
  Ticket enter(const char* what, std::optional<std::chrono::steady_clock::time_point> deadline);

  int running() const;
  int waiting() const;

 private:
  void leave();

  const int max_running_;
  const int max_waiting_;
  const std::chrono::milliseconds max_wait_;
  mutable std::mutex mutex_;
  std::condition_variable turn_;
  int running_ = 0;
  int waiting_ = 0;
};

}  // namespace tuskprint::service
