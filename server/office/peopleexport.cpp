#include "office/peopleexport.h"

#include "print/peopletable.h"
#include "print/statisticscsv.h"
#include "print/xlsxexport.h"

namespace kaodian::server::office {

std::optional<PeopleFormat> peopleFormatFromKey(const QString &key)
{
    if (key == QLatin1String("csv"))
        return PeopleFormat::Csv;
    if (key == QLatin1String("xlsx"))
        return PeopleFormat::Xlsx;
    return std::nullopt;
}

namespace {

// The longest reason kept in the audit log.
constexpr qsizetype kMaxReasonChars = 500;

QString selectionWords(const PeopleExportRequest &r)
{
    if (r.sessionId)
        return QStringLiteral("场次 #%1").arg(*r.sessionId);
    if (r.term)
        return r.term->label();
    return QStringLiteral("全部场次");
}

QString fileStem(const PeopleExportRequest &r)
{
    if (r.sessionId)
        return QStringLiteral("people-session-%1").arg(*r.sessionId);
    if (r.term)
        return QStringLiteral("people-%1").arg(r.term->key());
    return QStringLiteral("people-all");
}

} // namespace

OfficeResult<PeopleExport> exportPeople(ServerStore &store, const PeopleExportRequest &request,
                                        const PeopleExportCaller &caller)
{
    const QString reason = request.reason.trimmed();
    if (request.idNumbers == IdNumbers::Full) {
        if (!caller.office || caller.collegeScope)
            return OfficeError{OfficeError::Kind::Forbidden, QStringLiteral("forbidden"),
                               QStringLiteral("只有继续教育学院可以导出完整身份证号"), {}};
        if (reason.isEmpty())
            return OfficeError::badInput(QStringLiteral("导出完整身份证号须说明理由（reason）"));
        if (reason.size() > kMaxReasonChars)
            return OfficeError::badInput(QStringLiteral("理由最长 %1 字").arg(kMaxReasonChars));
    }
    if (request.sessionId) {
        auto college = store.rosters().collegeOfSession(*request.sessionId);
        if (!college)
            return OfficeError::fromStore(college.error());
        if (!*college || (caller.collegeScope && **college != *caller.collegeScope))
            return OfficeError::notFound(QStringLiteral("没有编号为 %1 的考试场次").arg(*request.sessionId));
    }

    PeopleSelection selection{request.sessionId, request.term, caller.collegeScope};
    PeopleQuery query(store.sql());
    auto rows = query.rows(selection, request.idNumbers);
    if (!rows)
        return OfficeError::fromStore(rows.error());

    if (request.idNumbers == IdNumbers::Full) {
        // Audited before the file exists: no full export goes unrecorded.
        if (auto s = store.audit().append(caller.actor, QStringLiteral("export.people.full_id"),
                                          QStringLiteral("导出完整身份证号：%1，%2 人，理由：%3")
                                              .arg(selectionWords(request))
                                              .arg(rows->size())
                                              .arg(reason.left(kMaxReasonChars)));
            !s)
            return OfficeError::fromStore(s.error());
    }

    const ReportTable table = peopleTable(*rows);
    PeopleExport out;
    out.rows = static_cast<int>(rows->size());
    if (request.format == PeopleFormat::Csv) {
        out.bytes = reportTableToCsv(table);
        out.fileName = fileStem(request) + QStringLiteral(".csv");
        out.contentType = "text/csv; charset=utf-8";
    } else {
        out.bytes = reportTablesToXlsx({&table});
        if (out.bytes.isEmpty())
            return OfficeError::failed(QStringLiteral("export_failed"), QStringLiteral("无法生成 Excel 文件"));
        out.fileName = fileStem(request) + QStringLiteral(".xlsx");
        out.contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    return out;
}

} // namespace kaodian::server::office
