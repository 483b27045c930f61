#include "import/attachmentcheck.h"

#include "import/xlsxreader.h"

#include <QCryptographicHash>

namespace kaodian::server {

QByteArray attachmentContentType(const QString &type)
{
    if (type == QLatin1String("pdf"))
        return "application/pdf";
    if (type == QLatin1String("docx"))
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (type == QLatin1String("xlsx"))
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return "application/octet-stream";
}

QByteArray Attachment::contentType() const
{
    return attachmentContentType(type);
}

AttachmentCheck checkAttachment(const QString &fileName, const QByteArray &bytes)
{
    AttachmentCheck out;
    // The name is kept for the download only: no folder, no control characters.
    QString name = fileName.section(QLatin1Char('/'), -1).section(QLatin1Char('\\'), -1).trimmed();
    name.removeIf([](QChar c) { return c.category() == QChar::Other_Control || c == QLatin1Char('"'); });
    if (name.isEmpty())
        name = QStringLiteral("附件");
    if (name.size() > 200)
        name = name.right(200);
    if (bytes.isEmpty()) {
        out.problem = QStringLiteral("附件「%1」是空文件").arg(name);
        return out;
    }
    if (bytes.size() > kMaxAttachmentBytes) {
        out.problem = QStringLiteral("附件「%1」有 %2 字节，超过 10 MB（%3 字节）的上限")
                          .arg(name)
                          .arg(bytes.size())
                          .arg(kMaxAttachmentBytes);
        return out;
    }
    QString type;
    if (bytes.startsWith("%PDF-"))
        type = QStringLiteral("pdf");
    else if (zipHolds(bytes, QStringLiteral("word/document.xml")))
        type = QStringLiteral("docx");
    else if (zipHolds(bytes, QStringLiteral("xl/workbook.xml")))
        type = QStringLiteral("xlsx");
    if (type.isEmpty()) {
        out.problem = QStringLiteral("附件「%1」不是 PDF、Word（.docx）或 Excel（.xlsx）文件"
                                     "（按文件内容判断，与扩展名无关）")
                          .arg(name);
        return out;
    }
    out.attachment = Attachment{name, type, bytes,
                                QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex())};
    return out;
}

} // namespace kaodian::server
