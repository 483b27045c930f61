#include "store/storeutil.h"

#include <algorithm>
#include <cstdio>

namespace kaodian::server {

QString storeTime(const QDateTime &t)
{
    // Hand-formatted: this runs for every stored event.
    const QDateTime u = t.toUTC();
    const QDate d = u.date();
    const QTime c = u.time();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year(), d.month(), d.day(), c.hour(),
                  c.minute(), c.second(), c.msec());
    return QString::fromLatin1(buf);
}

QDateTime parseStoreTime(const QString &s)
{
    // The fixed form storeTime() writes: yyyy-MM-ddTHH:mm:ss.zzzZ.
    auto digits = [&](qsizetype at, qsizetype n) {
        int v = 0;
        for (qsizetype i = at; i < at + n; ++i) {
            const char16_t ch = s.at(i).unicode();
            if (ch < u'0' || ch > u'9')
                return -1;
            v = v * 10 + (ch - u'0');
        }
        return v;
    };
    if (s.size() == 24 && s.at(4) == u'-' && s.at(10) == u'T' && s.at(19) == u'.' && s.at(23) == u'Z') {
        const QDate d(digits(0, 4), digits(5, 2), digits(8, 2));
        const QTime t(digits(11, 2), digits(14, 2), digits(17, 2), digits(20, 3));
        if (d.isValid() && t.isValid())
            return QDateTime(d, t, Qt::UTC);
    }
    return QDateTime::fromString(s, Qt::ISODateWithMs).toUTC();
}

StoreError storeError(StoreError::Code code, const QString &message)
{
    return StoreError{code, message, {}};
}

QVariant nullable(const std::optional<int> &v)
{
    return v ? QVariant::fromValue<qint64>(*v) : QVariant();
}

bool naturalLess(const QString &a, const QString &b)
{
    auto digitsOnly = [](const QString &s) {
        return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit() && c.unicode() < 128; });
    };
    if (digitsOnly(a) && digitsOnly(b)) {
        auto strip = [](const QString &s) {
            qsizetype i = 0;
            while (i + 1 < s.size() && s.at(i) == u'0')
                ++i;
            return s.mid(i);
        };
        const QString x = strip(a), y = strip(b);
        if (x.size() != y.size())
            return x.size() < y.size();
        if (x != y)
            return x < y;
    }
    return a < b;
}

} // namespace kaodian::server
