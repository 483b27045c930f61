#pragma once

// 学期: a school term. The autumn term (第一学期) runs from August to
// January, the spring term (第二学期) from February to July. A term's key is
// the year its school year starts and 1 or 2: "2025-1" is August 2025 to
// January 2026, "2025-2" February to July 2026. The dashboard's terms.js
// writes the same rule for the overview's term selector; the server reads
// the key the overview sends (GET /statistics?term=, GET /exports/people?term=).
// Thread-safety: plain values.

#include <QDate>
#include <QString>

#include <optional>

namespace kaodian {

class SchoolTerm
{
public:
    // "2025-1" or "2025-2" (years 2000–2099); empty for anything else.
    static std::optional<SchoolTerm> fromKey(const QString &key);
    // The term an exam date falls in.
    static SchoolTerm of(const QDate &date);

    [[nodiscard]] QString key() const;   // "2025-1"
    [[nodiscard]] QString label() const; // "2025–2026 学年第一学期"
    [[nodiscard]] QDate first() const;   // 2025-08-01
    [[nodiscard]] QDate last() const;    // 2026-01-31
    [[nodiscard]] bool contains(const QDate &date) const { return date >= first() && date <= last(); }

    friend bool operator==(const SchoolTerm &, const SchoolTerm &) = default;

private:
    SchoolTerm(int startYear, int half) : m_startYear(startYear), m_half(half) {}
    int m_startYear;
    int m_half; // 1 autumn, 2 spring
};

} // namespace kaodian
