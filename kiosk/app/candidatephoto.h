#pragma once

// A candidate's photo as the kiosk shows it: on the check-in card (large)
// and beside each name on the proctor's roster (a thumbnail). It paints the
// JPEG the store holds under `sha256` (docs/photos.md), scaled to fit and
// centred; `available` is false when there is none (no photo, or not yet
// fetched), and the screen shows 无照片 instead. The photo is read when
// the hash changes and kept decoded only as large as the item is drawn.
//
// Threads: the GUI thread, like the store it reads through KioskServices.

#include <QImage>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

namespace kaodian::kiosk {

class CandidatePhoto : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString sha256 READ sha256 WRITE setSha256 NOTIFY sha256Changed)
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)

public:
    explicit CandidatePhoto(QQuickItem *parent = nullptr);

    [[nodiscard]] QString sha256() const { return m_sha256; }
    void setSha256(const QString &sha256);
    [[nodiscard]] bool available() const { return !m_photo.isNull(); }

    // Reads the photo again (photos arrived from the server since).
    Q_INVOKABLE void reload();

    void paint(QPainter *painter) override;

signals:
    void sha256Changed();
    void availableChanged();

private:
    QString m_sha256;
    QImage m_photo;
};

} // namespace kaodian::kiosk
