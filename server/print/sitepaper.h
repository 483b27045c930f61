#pragma once

// The paper an exam site keeps (考场用表), A4 portrait, the Chinese font and
// the rare-character fallback embedded (ticketfont.h):
//   签到表   sign-in sheet: per room, by seat, the photo, name, masked ID
//            number, ticket number and a box the candidate signs in; once
//            the session is held, each candidate's status from the kiosks;
//   考场门贴 door list: the room, session, date and time, and every seat with
//            its candidate's name, large enough to read from a step away;
//   考场记录单 room record: expected / sat / late / absent / excused, the
//            absentees by name, incidents, check-in conflicts, the proctors
//            and their sign-off, with signature lines.
// Each room starts a new page. The rows are report tables (reporttable.h,
// buildTable); the renderer adds the photos and the signature boxes.
//
// Thread-safety: may run on several threads at once (each call owns its
// writer and painter); needs a QGuiApplication.

#include "core/domain.h"
#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace kaodian::server {

// One candidate on a room's paper.
struct PaperCandidate
{
    QString seat, name, maskedIdNumber, ticketNumber;
    QString status;    // 已签到 09:05, 迟到签到 09:20, 缺考, 请假：…, 未签到; empty before the exam
    QByteArray photoJpeg; // empty: 无照片
};

// What the room record counts (DESIGN.md's definitions: sat counts checked
// in, late included, not absent nor excused; absent counts marked absent
// and never checked in).
struct PaperCounts
{
    int expected = 0, sat = 0, late = 0, absent = 0, excused = 0;
};

// A room's sign-off as the kiosks report it (office/sitepaper.h's
// roomSignOff). Empty: the record prints blank lines for the proctors.
struct PaperSignOff
{
    QStringList proctors; // "张老师（工号 1001）": the signers, or before a sign-off those assigned
    QDateTime signedAt;   // UTC; invalid: not signed off
    QList<std::pair<QString, QString>> roomIncidents; // time and words
};

struct PaperRoom
{
    QString room;
    QList<PaperCandidate> candidates; // by seat
    PaperCounts counts;
    QStringList absentees;  // "03 王五（缺考）"
    QStringList incidents;  // a candidate's: "09:12 03 王五：作弊嫌疑 — note"
    QStringList conflicts;  // "林晓燕（2026…）：01 门口 09:01，02 门口 09:03"
    PaperSignOff signOff;
};

struct PaperSession
{
    Id id = 0;
    QString title; // "Web前端开发（中级）"
    QString site;
    QString date;  // "2026年6月13日（星期六）"
    QString time;  // "09:00 – 11:00"
    bool held = false; // statuses printed on the sign-in sheet
    QDateTime generatedAt;
};

Result<QByteArray, QString> renderSignInSheet(const PaperSession &session, const QList<PaperRoom> &rooms);
Result<QByteArray, QString> renderDoorList(const PaperSession &session, const QList<PaperRoom> &rooms);
Result<QByteArray, QString> renderRoomRecord(const PaperSession &session, const QList<PaperRoom> &rooms);

} // namespace kaodian::server
