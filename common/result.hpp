#pragma once
// A value or an error message: how loaders report "what is wrong and where" without throwing.
#include <string>
#include <utility>
#include <variant>

namespace switchyard {

struct Error {
    std::string message;  // names the place: "tenants.acme.stage: unknown stage \"nwe\" (line 7)"
};

// E defaults to a message; a module whose callers branch on what failed passes its own type.
template <typename T, typename E = Error>
class Result {
  public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
    Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const E& error() const { return std::get<1>(state_); }

  private:
    std::variant<T, E> state_;
};

}  // namespace switchyard
