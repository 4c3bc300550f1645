#pragma once
// A value or an error message: how loaders report "what is wrong and where" without throwing.
#include <string>
#include <utility>
#include <variant>

namespace switchyard {

struct Error {
    std::string message;  // names the place: "tenants.acme.stage: unknown stage \"nwe\" (line 7)"
};

template <typename T>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
    Result(Error error) : state_(std::move(error)) {}    // NOLINT: implicit by design

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

}  // namespace switchyard
