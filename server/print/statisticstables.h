#pragma once

// The statistics report as report tables (reporttable.h): every column of
// the session table, of the pilot, certificate and college totals and of the
// 第七条 warnings, with its JSON key, its Chinese label and its cells. The
// API's JSON, the CSV, the Excel workbook and the PDF report are drawn from
// these, so labels and words (已确认/未确认, 未公布, 低于 30%) agree in all four.
// The verdicts come from shared/core/statistics.h; nothing here compares rates.
// Thread-safety: pure functions.

#include "print/reporttable.h"

#include "store/statisticsquery.h"

namespace kaodian::server {

enum class GroupKind : std::uint8_t { Pilot, Certificate, College };

// The session table: one row per session, in the report's order; a row is a
// warning when its 第七条(五) verdict is not ok.
ReportTable sessionTable(const QList<SessionStats> &sessions);
// Totals of pilots, certificates or colleges.
ReportTable groupTable(GroupKind kind, const QList<GroupStats> &groups);
// The warnings; pilots (by id) name each flag's pilot for people.
// reminders: the table of reminders (提醒, not warnings) rather than flags.
ReportTable flagTable(const QList<Flag> &flags, const QList<GroupStats> &pilots = {}, bool reminders = false);

struct StatisticsTables
{
    ReportTable sessions;
    ReportTable pilots;
    ReportTable certificates;
    ReportTable colleges;
    ReportTable flags;
    ReportTable reminders; // the JSON's only: the exports list the flags
};
StatisticsTables statisticsTables(const StatisticsReport &report);

// The words and keys, for whoever needs one of them alone.
QString participationKey(ParticipationVerdict v);   // "ok", "low", "no_published_count"
QString participationWords(ParticipationVerdict v); // "达标", "低于 30%", "未公布人数"
QString flagKindKey(FlagKind k);                    // "low_participation", …
QString flagKindWords(FlagKind k);                  // "参考率低于 30%", …
QString resultsFinalWords(bool final);              // "已确认" / "未确认"
QString notPublishedWords();                        // "未公布"

} // namespace kaodian::server
