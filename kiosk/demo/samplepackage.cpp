#include "kiosk/demo/samplepackage.h"

#include "core/examzone.h"
#include "core/ticket.h"
#include "kiosk/core/checkinservice.h"
#include "kiosk/core/kioskstore.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>

namespace kaodian::kiosk {

namespace {

const QStringList kSurnames{
    QStringLiteral("王"), QStringLiteral("李"), QStringLiteral("张"), QStringLiteral("刘"), QStringLiteral("陈"),
    QStringLiteral("杨"), QStringLiteral("黄"), QStringLiteral("赵"), QStringLiteral("吴"), QStringLiteral("周"),
    QStringLiteral("徐"), QStringLiteral("孙"), QStringLiteral("马"), QStringLiteral("朱"), QStringLiteral("胡"),
    QStringLiteral("郭"), QStringLiteral("何"), QStringLiteral("林"), QStringLiteral("高"), QStringLiteral("罗"),
    QStringLiteral("郑"), QStringLiteral("梁"), QStringLiteral("谢"), QStringLiteral("宋"), QStringLiteral("唐"),
    QStringLiteral("许"), QStringLiteral("韩"), QStringLiteral("冯"), QStringLiteral("邓"), QStringLiteral("曹"),
    QStringLiteral("彭"), QStringLiteral("曾"), QStringLiteral("肖"), QStringLiteral("田"), QStringLiteral("董"),
    QStringLiteral("潘"), QStringLiteral("袁"), QStringLiteral("蔡"), QStringLiteral("蒋"), QStringLiteral("余"),
    QStringLiteral("欧阳"), QStringLiteral("上官"),
};
const QString kGiven = QStringLiteral("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚华玉萍红玲鑫宇浩然轩梓涵欣怡晨博文思雨佳嘉俊凯婷琳雪颖"
                                      "子豪睿泽瑶琪诗悦航毅彤蕾晓燕斌辉建志鹏");
const QStringList kRegions{QStringLiteral("350102"), QStringLiteral("350103"), QStringLiteral("350104"),
                           QStringLiteral("350121"), QStringLiteral("350181"), QStringLiteral("350203"),
                           QStringLiteral("350502"), QStringLiteral("350602")};

QString sampleName(QRandomGenerator &rng)
{
    QString name = kSurnames[int(rng.bounded(quint32(kSurnames.size())))];
    const int given = rng.bounded(10) < 7 ? 2 : 1;
    for (int i = 0; i < given; ++i)
        name += kGiven[int(rng.bounded(quint32(kGiven.size())))];
    return name;
}

// Whole seconds: tickets carry seconds only.
QDateTime wholeSeconds(const QDateTime &t)
{
    return QDateTime::fromSecsSinceEpoch(t.toSecsSinceEpoch(), QTimeZone::utc());
}

QTime roundUpToFive(const QTime &t)
{
    const int minutes = t.hour() * 60 + t.minute();
    const int rounded = std::min((minutes + 4) / 5 * 5, 23 * 60 + 55);
    return QTime(rounded / 60, rounded % 60);
}

Result<QByteArray, QString> ticketFor(const RosterCandidate &c, const PackageSession &s, const SigningKey &key, int serial)
{
    TicketClaims claims;
    claims.ticketNumber = c.ticketNumber;
    claims.sessionId = static_cast<std::uint32_t>(s.id);
    claims.serial = static_cast<std::uint16_t>(serial);
    const QDateTime start(s.examDate, s.startTime, examZone());
    claims.validFrom = wholeSeconds(start.addDays(-30));
    claims.validUntil = wholeSeconds(start.addDays(1));
    return issueTicket(claims, key);
}

} // namespace

QString sampleIdNumber(quint32 index, quint32 seed)
{
    QRandomGenerator rng(seed * 7919u + index);
    const QString region = kRegions[int(rng.bounded(quint32(kRegions.size())))];
    const QDate birth = QDate(2002, 1, 1).addDays(rng.bounded(4 * 365));
    QString body = region + birth.toString(QStringLiteral("yyyyMMdd"))
                   + QStringLiteral("%1").arg(rng.bounded(1000), 3, 10, QLatin1Char('0'));
    // GB 11643 check digit (ISO 7064 MOD 11-2).
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; ++i)
        sum += body.at(i).digitValue() * kWeights[i];
    return body + QStringLiteral("10X98765432").at(sum % 11);
}

SampleData makeSampleData(const SigningKey &key, const QDateTime &nowUtc, const SampleOptions &options)
{
    SampleData out;
    SessionPackage &p = out.package;
    p.generatedAt = wholeSeconds(nowUtc);
    p.site = options.site;
    p.room = QString(); // the whole site: this kiosk's room is in its identity
    p.ticketKeys = {key.verifyKey().raw()};

    const QDateTime local = nowUtc.toTimeZone(examZone());
    const QDate today = local.date();
    // This room's session starts in about 20 minutes, so check-in is open
    // now; late in the evening it started an hour ago (check-ins are late).
    QTime start = local.time() < QTime(21, 0) ? roundUpToFive(local.time().addSecs(20 * 60))
                                              : roundUpToFive(local.time().addSecs(-60 * 60));
    auto endOf = [](QTime t) { return t.secsTo(QTime(23, 59)) > 2 * 3600 ? t.addSecs(2 * 3600) : QTime(23, 59); };
    // The room's second session of the day, after the first (or, late in
    // the day, before it: already over).
    const QTime second = start < QTime(20, 0) ? start.addSecs(3 * 3600) : start.addSecs(-4 * 3600);

    const QString other = options.room == QLatin1String("02") ? QStringLiteral("03") : QStringLiteral("02");
    struct Plan
    {
        Id id;
        QString title;
        QDate date;
        QTime start;
        QString room;
        std::optional<int> published;
    };
    const QList<Plan> plans{
        {1, QStringLiteral("Web前端开发（中级）"), today, start, options.room, options.candidatesPerSession},
        {2, QStringLiteral("大数据应用开发（Python）（初级）"), today, second, options.room, options.candidatesPerSession},
        {3, QStringLiteral("网络安全评估（中级）"), today, start, other, options.candidatesPerSession},
        {4, QStringLiteral("云计算平台运维与开发（中级）"), today.addDays(1), QTime(9, 0), options.room, options.candidatesPerSession},
        {5, QStringLiteral("物联网工程实施与运维（初级）"), today.addDays(2), QTime(14, 0), options.room, std::nullopt},
    };
    QRandomGenerator rng(options.seed);
    quint32 index = 0;
    for (const Plan &plan : plans) {
        PackageSession s;
        s.id = plan.id;
        s.title = plan.title;
        s.site = options.site;
        s.examDate = plan.date;
        s.startTime = plan.start;
        s.endTime = endOf(plan.start);
        s.publishedCount = plan.published;
        s.checkInOpensMinutes = 60;
        s.lateAfterMinutes = 15;
        p.sessions.push_back(s);
        for (int seat = 1; seat <= options.candidatesPerSession; ++seat) {
            RosterCandidate c;
            c.registrationId = plan.id * 1000 + seat;
            c.sessionId = plan.id;
            c.ticketNumber = QStringLiteral("2026%1%2%3")
                                 .arg(plan.id, 2, 10, QLatin1Char('0'))
                                 .arg(plan.room)
                                 .arg(seat, 2, 10, QLatin1Char('0'));
            c.name = sampleName(rng);
            c.maskedIdNumber = maskIdNumber(sampleIdNumber(index++, options.seed));
            c.room = plan.room;
            c.seat = QStringLiteral("%1").arg(seat, 2, 10, QLatin1Char('0'));
            p.roster.push_back(c);
        }
    }
    // One candidate lost the first ticket and was given a new one.
    RosterCandidate &reissued = p.roster[6];
    reissued.ticketSerial = 2;
    p.revocations.push_back({reissued.ticketNumber, 1, wholeSeconds(nowUtc.addDays(-1))});

    auto add = [&](const QString &label, const RosterCandidate &c, const PackageSession &s, int serial) {
        if (auto t = ticketFor(c, s, key, serial))
            out.tickets.push_back({label, *t});
    };
    const PackageSession &s1 = p.sessions[0];
    for (int i = 0; i < 5; ++i) {
        const auto &c = p.roster[i];
        add(QStringLiteral("签到成功：%1 第%2考场 %3号").arg(c.name, c.room, c.seat), c, s1, 1);
    }
    add(QStringLiteral("签到成功（补发的新准考证）：%1").arg(reissued.name), reissued, s1, 2);
    add(QStringLiteral("已作废：%1 的旧准考证").arg(reissued.name), reissued, s1, 1);
    const int n = options.candidatesPerSession;
    add(QStringLiteral("不是本场：%1 考 %2").arg(p.roster[n].name, p.sessions[1].title), p.roster[n], p.sessions[1], 1);
    add(QStringLiteral("不是本场（同一时间在第%1考场）：%2").arg(other, p.roster[2 * n].name), p.roster[2 * n], p.sessions[2], 1);
    add(QStringLiteral("不是今天：%1 明天考试").arg(p.roster[3 * n].name), p.roster[3 * n], p.sessions[3], 1);
    if (!out.tickets.isEmpty()) {
        QByteArray forged = out.tickets.front().text;
        const qsizetype at = forged.size() / 2;
        forged[at] = forged[at] == 'A' ? 'B' : 'A';
        out.tickets.push_back({QStringLiteral("伪造或损坏：改动了一个字符"), forged});
    }
    if (auto stranger = SigningKey::generate()) {
        if (auto t = ticketFor(p.roster[1], s1, *stranger, 1))
            out.tickets.push_back({QStringLiteral("不是本考点签发：未知密钥"), *t});
    }
    out.tickets.push_back({QStringLiteral("不是准考证"), QByteArrayLiteral("https://example.com/not-a-ticket")});
    return out;
}

namespace {

Status<QString> writeFile(const QString &path, const QByteArray &bytes, bool secret = false)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return QStringLiteral("无法写入 %1").arg(path);
    if (secret)
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(bytes);
    if (!f.commit())
        return QStringLiteral("无法写入 %1").arg(path);
    return {};
}

Status<QString> provisionSample(KioskStore &store, const SigningKey &key, const QDateTime &now, const QString &dir)
{
    const SampleData data = makeSampleData(key, now);
    const QByteArray bytes = protocol::encodeSessionPackage(data.package, key);
    auto decoded = protocol::decodeSessionPackage(bytes, key.verifyKey()); // the same path a real package takes
    if (!decoded)
        return decoded.error();
    KioskIdentity identity = store.identity();
    if (identity.kioskId.isEmpty())
        identity.kioskId = QStringLiteral("KIOSK-DEMO-01");
    identity.site = decoded->site;
    if (identity.room.isEmpty())
        identity.room = SampleOptions{}.room;
    identity.trustedKeyRaw = key.verifyKey().raw();
    if (auto s = store.setIdentity(identity); !s)
        return s.error().message;
    if (auto s = store.provision(*decoded); !s)
        return s.error().message;
    if (auto s = writeFile(QDir(dir).filePath(QStringLiteral("demo-package.json")), bytes); !s)
        return s;
    QByteArray lines = "# Kaodian 考点 demo: sample admission-ticket QR texts.\n"
                       "# Paste one line (not the # comment) into the demo scan box, or send it\n"
                       "# with a keyboard-wedge scanner. Generated " +
                       examClock(now, QStringLiteral("yyyy-MM-dd HH:mm")).toUtf8() + " (UTC+8).\n";
    for (const auto &t : data.tickets)
        lines += "\n# " + t.label.toUtf8() + "\n" + t.text + "\n";
    return writeFile(QDir(dir).filePath(QStringLiteral("sample-tickets.txt")), lines);
}

} // namespace

Status<QString> prepareDemo(const QString &dir, const QString &passphrase, const QString &pin, const QDateTime &now,
                            int kdfIterations)
{
    const KioskPaths paths{dir};
    const QString keyPath = QDir(dir).filePath(QStringLiteral("demo-ticket-key.pem"));
    // A folder that holds a store is the demo's only when the store trusts
    // the demo key beside it and was never enrolled with a server; any other
    // is a real kiosk's, whose roster and trusted key the demo would replace.
    // It is refused before anything in it is written.
    const QString notDemo
        = QStringLiteral("%1 中是正式考点机的数据（不是演示数据）：--demo 会用演示名单和演示密钥替换其中的名单和信任的服务器密钥，"
                         "已拒绝，文件夹中的一切未作改动。演示请用另一个（空的）--data 文件夹")
              .arg(QDir::toNativeSeparators(dir));
    const bool storeThere = QFile::exists(paths.database()) || QFile::exists(paths.keyFile());
    std::optional<SigningKey> key;
    if (QFile f(keyPath); f.open(QIODevice::ReadOnly))
        key = SigningKey::fromPem(f.readAll());
    if (!key && storeThere)
        return notDemo;
    if (!key && QFile::exists(keyPath))
        return QStringLiteral("%1 不是有效的 Ed25519 私钥").arg(keyPath);
    if (!storeThere) {
        if (!QDir().mkpath(dir))
            return QStringLiteral("无法创建目录 %1").arg(dir);
        if (!key) {
            key = SigningKey::generate();
            if (!key)
                return QStringLiteral("无法生成演示签名密钥");
            if (auto s = writeFile(keyPath, key->toPem(), true); !s)
                return s;
        }
        auto store = KioskStore::create(paths, passphrase, kdfIterations);
        if (!store)
            return store.error().message;
        if (auto s = provisionSample(*store, *key, now, dir); !s)
            return s;
        if (auto s = store->setProctorPin(pin); !s)
            return s.error().message;
        return {};
    }
    auto store = KioskStore::open(paths, passphrase);
    if (!store)
        return store.error().message;
    if (store->identity().trustedKeyRaw != key->verifyKey().raw() || !store->enrolment().isEmpty())
        return notDemo;
    // Yesterday's demo: give it sessions around the time it is now.
    CheckInService service(*store, [now] { return now; });
    if (!service.currentSession()) {
        if (auto s = provisionSample(*store, *key, now, dir); !s)
            return s;
    }
    if (!store->hasProctorPin())
        if (auto s = store->setProctorPin(pin); !s)
            return s.error().message;
    return {};
}

} // namespace kaodian::kiosk
