#include "storeerrortext.h"

#include <QCoreApplication>
#include <QLoggingCategory>

namespace kaodian::kiosk {

Q_LOGGING_CATEGORY(lcStoreError, "kaodian.kiosk.store")

QString storeErrorText(const StoreError &error)
{
    qCInfo(lcStoreError) << "store error" << int(error.code) << error.message << error.path;
    switch (error.code) {
    case StoreError::Code::WrongPassphrase:
        return QCoreApplication::translate("StoreError", "考点口令不正确");
    case StoreError::Code::KeyFileMissing:
        return QCoreApplication::translate("StoreError", "找不到本机数据的密钥文件（%1）。请联系考务办公室。").arg(error.path);
    case StoreError::Code::KeyFileDamaged:
        return QCoreApplication::translate("StoreError", "本机数据的密钥文件已损坏或版本不符（%1）。请联系考务办公室。").arg(error.path);
    case StoreError::Code::KeyMismatch:
        return QCoreApplication::translate("StoreError", "密钥文件与本机数据不配套（%1）。请联系考务办公室。").arg(error.path);
    case StoreError::Code::DatabaseMissing:
        return QCoreApplication::translate("StoreError", "找不到本机数据（%1）。请联系考务办公室。").arg(error.path);
    case StoreError::Code::AlreadyExists:
        return QCoreApplication::translate("StoreError", "本机已有考点数据（%1），未覆盖。").arg(error.path);
    case StoreError::Code::Damaged:
        return QCoreApplication::translate("StoreError", "本机数据已损坏，已移到 %1 保存。请联系考务办公室重新登记本机。").arg(error.path);
    case StoreError::Code::NewerSchema:
        return QCoreApplication::translate("StoreError", "本机数据由更新版本的考场终端写入，本版本不能打开。请升级考场终端软件。");
    case StoreError::Code::LogMissing:
        return QCoreApplication::translate("StoreError", "本机数据的日志文件（-wal）丢失，最近的记录可能不全；数据未改动。请联系考务办公室。");
    case StoreError::Code::WeakKdf:
        return QCoreApplication::translate("StoreError", "本机数据的密钥保护强度低于要求。请联系考务办公室重新登记本机。");
    case StoreError::Code::Io:
        return QCoreApplication::translate("StoreError", "无法读写本机数据（%1）：磁盘可能已满或损坏。").arg(error.path);
    case StoreError::Code::Sql:
        return QCoreApplication::translate("StoreError", "本机数据读写出错。请重启考场终端；如仍出错，请联系考务办公室。");
    case StoreError::Code::TooManyAttempts:
        return QCoreApplication::translate("StoreError", "考点口令错误次数过多，请稍后再试");
    case StoreError::Code::Crypto:
        return QCoreApplication::translate("StoreError", "本机的加密库出错（加密库错误）。请重启考场终端；如仍出错，请联系技术人员。");
    case StoreError::Code::Refused:
        return QCoreApplication::translate("StoreError", "本机数据拒绝了这项操作。");
    }
    return QCoreApplication::translate("StoreError", "本机数据读写出错。请重启考场终端；如仍出错，请联系考务办公室。");
}

} // namespace kaodian::kiosk
