#include "protocol/roomevents.h"

#include "core/pinhash.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kaodian::protocol {

namespace {

constexpr int kMaxSigners = 20;

} // namespace

QString signOffDetail(const SignOffFacts &f)
{
    QJsonArray signers;
    for (const auto &s : f.signers)
        signers.append(QJsonObject{{"staff_number", s.staffNumber}, {"name", s.name}});
    const QJsonObject o{{"expected", f.expected}, {"sat", f.sat},         {"late", f.late},
                        {"absent", f.absent},     {"excused", f.excused}, {"not_yet", f.notYet},
                        {"signers", signers}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<SignOffFacts> parseSignOffDetail(const QString &detail)
{
    const QJsonObject o = QJsonDocument::fromJson(detail.toUtf8()).object();
    SignOffFacts f;
    for (auto [key, field] : {std::pair{"expected", &f.expected}, std::pair{"sat", &f.sat}, std::pair{"late", &f.late},
                              std::pair{"absent", &f.absent}, std::pair{"excused", &f.excused},
                              std::pair{"not_yet", &f.notYet}}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isDouble() || v.toInteger(-1) < 0 || v.toInteger() > 1'000'000)
            return std::nullopt;
        *field = static_cast<int>(v.toInteger());
    }
    const QJsonArray signers = o.value("signers").toArray();
    if (signers.isEmpty() || signers.size() > kMaxSigners)
        return std::nullopt;
    for (const auto &v : signers) {
        const QJsonObject s = v.toObject();
        Signer signer{s.value("staff_number").toString().left(40), s.value("name").toString().left(60)};
        if (signer.name.trimmed().isEmpty())
            return std::nullopt;
        f.signers.push_back(signer);
    }
    return f;
}

QString proctorPinDetail(const QByteArray &pinHash)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{"pin_hash", QString::fromLatin1(pinHash)}}).toJson(QJsonDocument::Compact));
}

std::optional<QByteArray> parseProctorPinDetail(const QString &detail)
{
    const QByteArray hash = QJsonDocument::fromJson(detail.toUtf8()).object().value("pin_hash").toString().toLatin1();
    if (!isPinHash(hash))
        return std::nullopt;
    return hash;
}

} // namespace kaodian::protocol
