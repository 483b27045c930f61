#pragma once

// Errors are values across module boundaries: a Result<T, E> holds either the
// value or an error E that carries a message a person can act on.
// Thread-safety: as the values it holds.

#include <optional>
#include <utility>
#include <variant>

namespace kaodian {

// Either a value of T or an error of E (a minimal std::expected for C++20).
template <typename T, typename E>
class Result
{
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(E error) : m_state(std::in_place_index<1>, std::move(error)) {}

    [[nodiscard]] bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const E &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, E> m_state;
};

// Result of an operation that returns nothing but may fail.
template <typename E>
class Status
{
public:
    Status() = default;
    Status(E error) : m_error(std::move(error)) {}

    [[nodiscard]] bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const E &error() const { return *m_error; }

private:
    std::optional<E> m_error;
};

} // namespace kaodian
