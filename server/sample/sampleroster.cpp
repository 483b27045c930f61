#include "sample/sampleroster.h"

#include "core/examzone.h"
#include "import/rosterfields.h"

#include <QRandomGenerator>
#include <QStringList>

#include <algorithm>

namespace kaodian::server {

namespace {

struct Pilot
{
    const char *college;
    const char *major;
    const char *className;
    const char *certificate;
    const char *level;
    const char *organisation;
};

const Pilot kPilots[] = {
    {"信息工程学院", "计算机应用技术", "计应", "Web前端开发", "中级", "工业和信息化部教育与考试中心"},
    {"信息工程学院", "软件技术", "软件", "云计算平台运维与开发", "初级", "浪潮优派科技教育有限公司"},
    {"机电工程学院", "工业机器人技术", "机器人", "工业机器人操作与运维", "中级", "北京新奥时代科技有限责任公司"},
    {"机电工程学院", "机电一体化技术", "机电", "可编程控制器系统应用编程", "初级", "无锡信捷电气股份有限公司"},
    {"经济管理学院", "大数据与会计", "会计", "智能财税", "中级", "中联集团教育科技有限公司"},
    {"经济管理学院", "现代物流管理", "物流", "物流管理", "初级", "北京中物联物流采购培训中心"},
};

const QString kSurnames = QStringLiteral("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程");
const QString kGiven = QStringLiteral("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建红文辉晓燕志鹏宇浩然欣怡子轩梓涵思雨佳琪雅婷俊杰");
// Fujian and Jiangxi area codes, as a college in Fuzhou would see.
const char *const kAreas[] = {"350102", "350103", "350104", "350111", "350121", "350122", "350181",
                              "350203", "350322", "350500", "350623", "350702", "360102", "360121"};

} // namespace

OpenSessionTimes openSessionTimes(const QDateTime &at)
{
    const QDateTime local = at.toTimeZone(examZone());
    const QTime now = local.time();
    // Half an hour ahead, on a five-minute mark: check-in opened half an
    // hour ago and a scan stays on time for the next 45 minutes. Near
    // midnight the session keeps to the day, starting at 23:55 at the
    // latest (still on time until the day ends).
    const int minuteOfDay = now.hour() * 60 + now.minute();
    const int start = std::min(minuteOfDay / 5 * 5 + 30, 23 * 60 + 55);
    const int end = std::min(start + 120, 23 * 60 + 59);
    return {local.date(), QTime(start / 60, start % 60), QTime(end / 60, end % 60)};
}

QByteArray sampleRosterCsv(const SampleRosterOptions &o)
{
    QRandomGenerator rng(o.seed);
    QStringList lines;
    lines << QStringLiteral("准考证号,姓名,身份证号,学号,专业,班级,二级学院,证书,等级,培训评价组织,考点,考场,座位号,"
                            "考试日期,开始时间,结束时间");
    const int pilots = static_cast<int>(std::size(kPilots));
    // Sessions: each pilot sits on one of three days, morning or afternoon.
    for (int i = 0; i < o.candidates; ++i) {
        const int p = i % pilots;
        const Pilot &pilot = kPilots[p];
        const bool openNow = p == 0 && o.openAt;
        const OpenSessionTimes open = openNow ? openSessionTimes(*o.openAt) : OpenSessionTimes{};
        const QDate date = openNow ? open.date : o.firstExamDate.addDays(p / 2);
        const bool morning = p % 2 == 0;
        const QString startTime = openNow ? open.start.toString(QStringLiteral("HH:mm"))
                                  : morning ? QStringLiteral("09:00")
                                            : QStringLiteral("14:00");
        const QString endTime = openNow ? open.end.toString(QStringLiteral("HH:mm"))
                                : morning ? QStringLiteral("11:00")
                                          : QStringLiteral("16:00");
        const int indexInPilot = i / pilots;
        const int room = 1 + p % 3 + 3 * (indexInPilot / 30);
        const int seat = 1 + indexInPilot % 30;
        const QString surname = kSurnames.at(static_cast<qsizetype>(rng.bounded(kSurnames.size())));
        QString given = kGiven.at(static_cast<qsizetype>(rng.bounded(kGiven.size())));
        if (rng.bounded(3) != 0)
            given += kGiven.at(static_cast<qsizetype>(rng.bounded(kGiven.size())));
        const QDate birth = QDate(2002, 1, 1).addDays(static_cast<qint64>(rng.bounded(4 * 365)));
        QString id = QString::fromLatin1(kAreas[rng.bounded(static_cast<quint32>(std::size(kAreas)))])
                     + birth.toString(QStringLiteral("yyyyMMdd"))
                     + QStringLiteral("%1").arg(rng.bounded(1000), 3, 10, QLatin1Char('0'));
        id += idNumberCheckCharacter(id);
        const int year = 2021 + static_cast<int>(rng.bounded(3));
        const QString student = QStringLiteral("%1%2%3").arg(year).arg(p + 1, 2, 10, QLatin1Char('0')).arg(i + 1, 4, 10, QLatin1Char('0'));
        const QString ticket = QStringLiteral("%1%2%3")
                                   .arg(date.toString(QStringLiteral("yyyyMMdd")))
                                   .arg(p + 1, 2, 10, QLatin1Char('0'))
                                   .arg(indexInPilot + 1, 4, 10, QLatin1Char('0'));
        lines << QStringList{ticket,
                             surname + given,
                             id,
                             student,
                             QString::fromUtf8(pilot.major),
                             QStringLiteral("%1%2%3").arg(QString::fromUtf8(pilot.className)).arg(year % 100).arg(1 + static_cast<int>(rng.bounded(3)), 2, 10, QLatin1Char('0')),
                             QString::fromUtf8(pilot.college),
                             QString::fromUtf8(pilot.certificate),
                             QString::fromUtf8(pilot.level),
                             QString::fromUtf8(pilot.organisation),
                             o.site,
                             QStringLiteral("%1").arg(room, 2, 10, QLatin1Char('0')),
                             QStringLiteral("%1").arg(seat, 2, 10, QLatin1Char('0')),
                             date.toString(Qt::ISODate),
                             startTime,
                             endTime}
                     .join(QLatin1Char(','));
    }
    return QByteArray("\xEF\xBB\xBF") + lines.join(QStringLiteral("\r\n")).toUtf8() + "\r\n";
}

} // namespace kaodian::server
