#pragma once

// Every table of a server store, every row, in a stable order: for tests
// that compare two stores whole (a restored backup and what it was taken
// of). Tables are read from the store's own catalogue, so a table added by
// a later migration is compared without this file knowing it.
// Not thread-safe: one store, one thread.

#include "store/serverstore.h"

#include <QMap>
#include <QStringList>

#include <algorithm>

namespace kaodian::testing {

// Table name → its rows, sorted.
using StoreTables = QMap<QString, QList<QVariantList>>;

// A row as text that sorts and compares rows exactly (type and value).
inline QString rowKey(const QVariantList &row)
{
    QStringList cells;
    for (const QVariant &v : row) {
        if (v.isNull())
            cells << QStringLiteral("∅");
        else if (v.typeId() == QMetaType::QByteArray)
            cells << QStringLiteral("x'") + QString::fromLatin1(v.toByteArray().toHex()) + QLatin1Char('\'');
        else
            cells << QString::number(v.typeId()) + QLatin1Char(':') + v.toString();
    }
    return cells.join(QChar(0x1f));
}

// Every table with its rows; empty with *why set on failure.
inline StoreTables dumpTables(server::ServerStore &store, QString *why)
{
    const bool postgres = store.dialect() == server::Dialect::Postgres;
    auto names = store.sql().query(postgres
            ? QStringLiteral("SELECT table_name FROM information_schema.tables"
                             " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                             " ORDER BY table_name")
            : QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"
                             " AND name NOT LIKE 'sqlite_%' ORDER BY name"));
    if (!names) {
        *why = names.error().message;
        return {};
    }
    StoreTables tables;
    for (const QVariantList &name : names->rows) {
        const QString table = name.first().toString();
        auto rows = store.sql().query(QStringLiteral("SELECT * FROM \"%1\"").arg(table));
        if (!rows) {
            *why = table + QStringLiteral(": ") + rows.error().message;
            return {};
        }
        QList<QVariantList> sorted = rows->rows;
        std::sort(sorted.begin(), sorted.end(),
            [](const QVariantList &a, const QVariantList &b) { return rowKey(a) < rowKey(b); });
        tables.insert(table, sorted);
    }
    return tables;
}

// The first difference between two stores' tables, in words; empty when none.
inline QString firstDifference(const StoreTables &a, const StoreTables &b)
{
    if (a.keys() != b.keys())
        return QStringLiteral("tables differ: %1 | %2")
            .arg(a.keys().join(QLatin1Char(',')), b.keys().join(QLatin1Char(',')));
    for (auto it = a.begin(); it != a.end(); ++it) {
        const QList<QVariantList> &left = it.value();
        const QList<QVariantList> &right = b.value(it.key());
        if (left.size() != right.size())
            return QStringLiteral("%1: %2 rows against %3").arg(it.key()).arg(left.size()).arg(right.size());
        for (qsizetype i = 0; i < left.size(); ++i)
            if (rowKey(left[i]) != rowKey(right[i]))
                return QStringLiteral("%1, row %2: [%3] against [%4]")
                    .arg(it.key())
                    .arg(i)
                    .arg(rowKey(left[i]).replace(QChar(0x1f), QLatin1Char('|')),
                        rowKey(right[i]).replace(QChar(0x1f), QLatin1Char('|')));
    }
    return {};
}

} // namespace kaodian::testing
