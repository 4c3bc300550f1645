#pragma once
// A secret string (a secret access key, a session token) that never prints: streamed or
// formatted it shows "***", and its bytes are wiped when it goes. Read it with reveal(), at the
// one place that signs.
#include <iosfwd>
#include <string>

namespace switchyard::dynamo {

class Secret {
  public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(const Secret&) = default;
    Secret(Secret&&) noexcept = default;
    Secret& operator=(const Secret&) = default;
    Secret& operator=(Secret&& other) noexcept;
    ~Secret();

    const std::string& reveal() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }
    friend bool operator==(const Secret&, const Secret&) = default;

  private:
    void wipe() noexcept;
    std::string value_;
};

std::ostream& operator<<(std::ostream& out, const Secret& secret);

}  // namespace switchyard::dynamo
