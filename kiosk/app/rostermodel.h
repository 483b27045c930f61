#pragma once

// The proctor's live roster of one session in this kiosk's room: each
// candidate with their state derived from the event log, filtered by a
// search text (name, ticket number, seat, last digits of the ID number).
// A filter or session change resets the model; new events update rows in
// place (dataChanged). GUI thread only; reads through the CheckInService.

#include "kiosk/core/checkinservice.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace kaodian::kiosk {

class RosterModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("the ProctorViewModel owns the roster")
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        RegistrationIdRole = Qt::UserRole + 1,
        TicketNumberRole,
        NameRole,
        MaskedIdRole,
        RoomRole,
        SeatRole,
        StatusKeyRole,  // not_yet, checked_in, late, absent, excused
        StatusTextRole, // 未签到, 已签到 09:05, …
        ResultTextRole, // 通过 86 / 未通过 / empty
        IncidentsRole,
        PhotoRole, // the photo's sha256 (CandidatePhoto); empty: none
    };
    Q_ENUM(Role)

    explicit RosterModel(QObject *parent = nullptr);

    // The roster of sessionId as service holds it (null: empty).
    void setSource(CheckInService *service, Id sessionId);
    // Re-reads every row's state (after an event); keeps rows and filter.
    void refreshStates();

    [[nodiscard]] QString filter() const { return m_filter; }
    void setFilter(const QString &filter);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // The row of a registration in the filtered list, or -1.
    Q_INVOKABLE int rowOf(qint64 registrationId) const;
    [[nodiscard]] std::optional<RosterCandidate> candidate(Id registrationId) const;
    [[nodiscard]] RegistrationState state(Id registrationId) const;

Q_SIGNALS:
    void filterChanged();
    void countChanged();

private:
    struct Row
    {
        RosterCandidate candidate;
        RegistrationState state;
    };
    [[nodiscard]] bool matches(const Row &row) const;
    void rebuild();

    CheckInService *m_service = nullptr;
    Id m_sessionId = 0;
    QString m_filter;
    QList<Row> m_all;
    QList<int> m_visible; // indices into m_all
};

// Words for a state, shared by the roster and the proctor's detail panel.
QString attendanceKey(const RegistrationState &state);
QString attendanceText(const RegistrationState &state);
QString resultText(const RegistrationState &state);

} // namespace kaodian::kiosk
