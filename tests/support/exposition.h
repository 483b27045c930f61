#pragma once

// A strict reader of the Prometheus text exposition format (0.0.4), for
// tests of GET /api/v1/metrics: every line must be a `# HELP`, a `# TYPE`
// or a sample of a family whose TYPE came first; names, label names,
// escapes and values as the format defines them; no series twice; every
// histogram's buckets cumulative, in rising `le` order, ending at +Inf with
// the count. The first line that breaks a rule is named in `error`.
// Not thread-safe: plain values.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QString>

#include <cmath>
#include <limits>
#include <optional>

namespace kaodian::testing {

struct MetricSample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

struct Exposition
{
    QMap<QString, QString> types; // family → counter, gauge, histogram, summary, untyped
    QList<MetricSample> samples;
    QString error; // empty when every line is valid

    // The sample with exactly these labels, if there is one.
    [[nodiscard]] std::optional<double> value(
        const QString &name, const QMap<QString, QString> &labels = {}) const
    {
        for (const MetricSample &s : samples)
            if (s.name == name && s.labels == labels)
                return s.value;
        return std::nullopt;
    }
    // The samples of a name.
    [[nodiscard]] QList<MetricSample> all(const QString &name) const
    {
        QList<MetricSample> out;
        for (const MetricSample &s : samples)
            if (s.name == name)
                out.push_back(s);
        return out;
    }
};

namespace exposition_detail {

inline bool parseValue(const QString &text, double *value)
{
    if (text == QLatin1String("+Inf")) {
        *value = std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == QLatin1String("-Inf")) {
        *value = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == QLatin1String("NaN")) {
        *value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    static const QRegularExpression number(QStringLiteral(R"(^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$)"));
    if (!number.match(text).hasMatch())
        return false;
    bool ok = false;
    *value = text.toDouble(&ok);
    return ok;
}

// The sample line's labels from `{` to `}`; pos ends after the `}`.
inline bool parseLabels(const QString &line, qsizetype &pos, QMap<QString, QString> *labels, QString *why)
{
    static const QRegularExpression labelName(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    ++pos; // '{'
    while (pos < line.size() && line[pos] != QLatin1Char('}')) {
        const qsizetype eq = line.indexOf(QLatin1Char('='), pos);
        if (eq < 0) {
            *why = QStringLiteral("label without '='");
            return false;
        }
        const QString name = line.mid(pos, eq - pos);
        if (!labelName.match(name).hasMatch() || name.startsWith(QLatin1String("__"))) {
            *why = QStringLiteral("bad label name '%1'").arg(name);
            return false;
        }
        pos = eq + 1;
        if (pos >= line.size() || line[pos] != QLatin1Char('"')) {
            *why = QStringLiteral("label value not quoted");
            return false;
        }
        ++pos;
        QString value;
        for (;;) {
            if (pos >= line.size()) {
                *why = QStringLiteral("label value not closed");
                return false;
            }
            const QChar c = line[pos++];
            if (c == QLatin1Char('"'))
                break;
            if (c == QLatin1Char('\\')) {
                if (pos >= line.size()) {
                    *why = QStringLiteral("escape at the end");
                    return false;
                }
                const QChar e = line[pos++];
                if (e == QLatin1Char('\\') || e == QLatin1Char('"'))
                    value += e;
                else if (e == QLatin1Char('n'))
                    value += QLatin1Char('\n');
                else {
                    *why = QStringLiteral("unknown escape \\%1").arg(e);
                    return false;
                }
                continue;
            }
            value += c;
        }
        if (labels->contains(name)) {
            *why = QStringLiteral("label '%1' twice").arg(name);
            return false;
        }
        labels->insert(name, value);
        if (pos < line.size() && line[pos] == QLatin1Char(','))
            ++pos;
        else if (pos < line.size() && line[pos] != QLatin1Char('}')) {
            *why = QStringLiteral("expected ',' or '}'");
            return false;
        }
    }
    if (pos >= line.size()) {
        *why = QStringLiteral("labels not closed");
        return false;
    }
    ++pos; // '}'
    return true;
}

inline QString seriesKey(const MetricSample &s)
{
    QString key = s.name;
    for (auto it = s.labels.begin(); it != s.labels.end(); ++it)
        key += QChar(0x1f) + it.key() + QLatin1Char('=') + it.value();
    return key;
}

// Buckets cumulative and ordered, +Inf last and equal to _count, a _sum.
inline QString checkHistograms(const Exposition &e)
{
    for (auto it = e.types.begin(); it != e.types.end(); ++it) {
        if (it.value() != QLatin1String("histogram"))
            continue;
        const QString family = it.key();
        QMap<QString, QList<std::pair<double, double>>> buckets; // other labels → (le, count)
        for (const MetricSample &s : e.all(family + QStringLiteral("_bucket"))) {
            QMap<QString, QString> others = s.labels;
            double le = 0;
            if (!others.contains(QStringLiteral("le")) || !parseValue(others.take(QStringLiteral("le")), &le))
                return family + QStringLiteral(": a bucket without a valid le");
            buckets[seriesKey({family, others, 0})].push_back({le, s.value});
        }
        if (buckets.isEmpty())
            return family + QStringLiteral(": no buckets");
        for (auto b = buckets.begin(); b != buckets.end(); ++b) {
            const auto &list = b.value();
            for (qsizetype i = 1; i < list.size(); ++i)
                if (!(list[i].first > list[i - 1].first) || list[i].second < list[i - 1].second)
                    return family + QStringLiteral(": buckets out of order or not cumulative");
            if (!std::isinf(list.last().first))
                return family + QStringLiteral(": the last bucket is not +Inf");
            bool counted = false, summed = false;
            for (const MetricSample &s : e.samples) {
                if (seriesKey({family, s.labels, 0}) != b.key())
                    continue;
                if (s.name == family + QStringLiteral("_count")) {
                    counted = true;
                    if (s.value != list.last().second)
                        return family + QStringLiteral(": _count differs from the +Inf bucket");
                }
                summed = summed || s.name == family + QStringLiteral("_sum");
            }
            if (!counted || !summed)
                return family + QStringLiteral(": _count or _sum missing");
        }
    }
    return {};
}

} // namespace exposition_detail

inline Exposition parseExposition(const QByteArray &text)
{
    using namespace exposition_detail;
    static const QRegularExpression metricName(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
    static const QSet<QString> knownTypes = {QStringLiteral("counter"), QStringLiteral("gauge"),
        QStringLiteral("histogram"), QStringLiteral("summary"), QStringLiteral("untyped")};
    Exposition e;
    if (!text.endsWith('\n')) {
        e.error = QStringLiteral("the text does not end with a line feed");
        return e;
    }
    QSet<QString> helped, seen;
    const QList<QByteArray> lines = text.chopped(1).split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString line = QString::fromUtf8(lines[n]);
        QString why;
        const auto fail = [&](const QString &reason) {
            e.error = QStringLiteral("line %1 \"%2\": %3").arg(n + 1).arg(line, reason);
        };
        if (line.isEmpty() || line.trimmed() != line) {
            fail(QStringLiteral("empty, or space at either end"));
            return e;
        }
        if (line.startsWith(QLatin1Char('#'))) {
            const QStringList parts = line.split(QLatin1Char(' '));
            if (parts.size() < 3 || (parts[1] != QLatin1String("HELP") && parts[1] != QLatin1String("TYPE"))
                || !metricName.match(parts[2]).hasMatch()) {
                fail(QStringLiteral("a comment that is neither HELP nor TYPE of a metric"));
                return e;
            }
            if (parts[1] == QLatin1String("TYPE")) {
                if (parts.size() != 4 || !knownTypes.contains(parts[3]) || e.types.contains(parts[2])) {
                    fail(QStringLiteral("a bad or repeated TYPE"));
                    return e;
                }
                e.types.insert(parts[2], parts[3]);
            } else {
                if (helped.contains(parts[2])
                    || line.contains(QRegularExpression(QStringLiteral(R"(\\[^\\n])")))) {
                    fail(QStringLiteral("a repeated HELP or a bad escape in it"));
                    return e;
                }
                helped.insert(parts[2]);
            }
            continue;
        }
        MetricSample s;
        qsizetype pos = 0;
        while (pos < line.size() && line[pos] != QLatin1Char('{') && line[pos] != QLatin1Char(' '))
            ++pos;
        s.name = line.left(pos);
        if (!metricName.match(s.name).hasMatch()) {
            fail(QStringLiteral("bad metric name"));
            return e;
        }
        if (pos < line.size() && line[pos] == QLatin1Char('{') && !parseLabels(line, pos, &s.labels, &why)) {
            fail(why);
            return e;
        }
        if (pos >= line.size() || line[pos] != QLatin1Char(' ')) {
            fail(QStringLiteral("no space before the value"));
            return e;
        }
        const QStringList rest = line.mid(pos + 1).split(QLatin1Char(' '));
        if (rest.size() > 2 || !parseValue(rest[0], &s.value)) {
            fail(QStringLiteral("bad value"));
            return e;
        }
        // The family: the name itself, or a histogram's or summary's part.
        QString family = s.name;
        if (!e.types.contains(family)) {
            for (const char *suffix : {"_bucket", "_sum", "_count"})
                if (s.name.endsWith(QLatin1String(suffix)))
                    family = s.name.chopped(static_cast<qsizetype>(qstrlen(suffix)));
            const QString type = e.types.value(family);
            if (type != QLatin1String("histogram") && type != QLatin1String("summary")) {
                fail(QStringLiteral("a sample before its family's TYPE"));
                return e;
            }
        }
        if (seen.contains(seriesKey(s))) {
            fail(QStringLiteral("the same series twice"));
            return e;
        }
        seen.insert(seriesKey(s));
        e.samples.push_back(s);
    }
    e.error = checkHistograms(e);
    return e;
}

} // namespace kaodian::testing
