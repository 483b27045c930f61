#pragma once

// The one attachment a weekly report (周报) or a case's evidence may carry:
// a PDF, a Word document (.docx) or an Excel workbook (.xlsx), at most
// 10 MB, its type told by its content, never by its name: a PDF starts with
// "%PDF-", a .docx is a ZIP holding word/document.xml, an .xlsx a ZIP
// holding xl/workbook.xml. A renamed program or a .doc is refused.
// Thread-safe: pure functions.

#include <QByteArray>
#include <QString>

#include <optional>

namespace kaodian::server {

inline constexpr qsizetype kMaxAttachmentBytes = qsizetype(10) * 1024 * 1024;

// A file that passed the check, with the type its content showed.
struct Attachment
{
    QString name;      // as sent, without any folder
    QString type;      // "pdf", "docx", "xlsx"
    QByteArray bytes;
    QString sha256;    // hex
    [[nodiscard]] QByteArray contentType() const;
};

// The content type to answer a download of type ("pdf" …) with.
QByteArray attachmentContentType(const QString &type);

// The attachment, or why it is refused (Simplified Chinese).
struct AttachmentCheck
{
    std::optional<Attachment> attachment;
    QString problem;
};
AttachmentCheck checkAttachment(const QString &fileName, const QByteArray &bytes);

} // namespace kaodian::server
