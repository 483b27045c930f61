#pragma once

// The rules for single cells of a roster: 身份证号 (GB 11643-1999), 准考证号
// (what the ticket codec accepts), the date and time forms a clerk types, and
// Excel's serial numbers for dates and times. Pure functions, thread-safe.

#include <QDate>
#include <QString>
#include <QTime>

#include <optional>

namespace kaodian::server {

// Full-width ASCII forms (０-９, Ａ-Ｚ, '：', '－' …) as the ordinary characters
// Chinese input methods often leave in numbers and codes.
QString toHalfWidth(QStringView text);

// The check character of an ID-card number's first 17 digits (GB 11643-1999,
// ISO 7064 MOD 11-2): '0'-'9' or 'X'; a null QChar when the input is not
// exactly 17 ASCII digits.
QChar idNumberCheckCharacter(QStringView first17);

// An ID-card number as stored: half-width, trimmed, lower-case 'x' made 'X'.
QString normaliseIdNumber(QStringView text);

// Why a normalised ID-card number is not valid, in words for the clerk; empty
// when it is valid (18 characters, a real birth date from 1900 on, the right
// check character). When examDate is valid a birth date after it is refused.
// The message never repeats the number (PIPL).
QString idNumberProblem(QStringView idNumber, QDate examDate = {});

// A ticket number as stored: half-width, trimmed, upper-case.
QString normaliseTicketNumber(QStringView text);

// Why a normalised ticket number cannot go on a ticket (1–20 of 0-9 A-Z '-',
// kaodian::kTicketNumberMaxLength); empty when it can.
QString ticketNumberProblem(QStringView ticketNumber);

// 2026-06-01, 2026/6/1, 2026.6.1, 2026年6月1日, 20260601, each optionally
// followed by a midnight time ("2026/6/1 0:00") as Excel may write it.
std::optional<QDate> parseExamDate(QStringView text);

// 9:00, 09:00, 09:00:00, 9时30分, 9点, 上午9时30分, 下午2:30, 2:30 PM.
std::optional<QTime> parseClockTime(QStringView text);

// The date of an Excel date serial (whole days since 1899-12-30, or since
// 1904-01-01 in a 1904-system workbook); nullopt if not a whole number of days
// in Excel's range.
std::optional<QDate> dateFromExcelSerial(double serial, bool date1904);

// The time of day of an Excel time (a fraction of a day, 0 ≤ f < 1), to the
// nearest second; nullopt outside that range.
std::optional<QTime> timeFromExcelFraction(double fraction);

// Whether text looks like a number Excel showed in scientific form
// ("3.50102E+17", always with a sign, so "2022E001" is not one): the digits
// beyond the fifteenth are lost.
bool looksLikeScientific(QStringView text);

} // namespace kaodian::server
