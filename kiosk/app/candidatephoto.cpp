#include "candidatephoto.h"

#include "kioskservices.h"

#include <QPainter>

namespace kaodian::kiosk {

CandidatePhoto::CandidatePhoto(QQuickItem *parent) : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
}

void CandidatePhoto::setSha256(const QString &sha256)
{
    if (sha256 == m_sha256)
        return;
    m_sha256 = sha256;
    emit sha256Changed();
    reload();
}

void CandidatePhoto::reload()
{
    const bool had = available();
    m_photo = QImage();
    KioskServices *services = KioskServices::instance();
    if (!m_sha256.isEmpty() && services && services->store()) {
        const QByteArray jpeg = services->store()->photo(m_sha256);
        if (!jpeg.isEmpty())
            m_photo = QImage::fromData(jpeg, "JPEG");
    }
    if (had != available())
        emit availableChanged();
    update();
}

void CandidatePhoto::paint(QPainter *painter)
{
    if (m_photo.isNull())
        return;
    const QSizeF fitted = QSizeF(m_photo.size()).scaled(size(), Qt::KeepAspectRatio);
    const QRectF target((width() - fitted.width()) / 2, (height() - fitted.height()) / 2, fitted.width(),
                        fitted.height());
    painter->setRenderHint(QPainter::SmoothPixmapTransform, true);
    painter->drawImage(target, m_photo);
}

} // namespace kaodian::kiosk
