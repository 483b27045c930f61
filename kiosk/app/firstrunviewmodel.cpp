#include "firstrunviewmodel.h"

#include "camerascanner.h"
#include "kioskservices.h"
#include "passphrasetext.h"

#include "core/ticket.h"
#include "kiosk/sync/kioskrequest.h"

#include <algorithm>

namespace kaodian::kiosk {

namespace {

bool allDigits(const QString &text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

QString hostOf(const EnrolmentCode &code)
{
    return code.server.port() > 0 ? QStringLiteral("%1:%2").arg(code.server.host()).arg(code.server.port())
                                  : code.server.host();
}

} // namespace

FirstRunViewModel::FirstRunViewModel(QObject *parent) : FirstRunViewModel(KioskServices::instance(), parent) {}

FirstRunViewModel::FirstRunViewModel(KioskServices *services, QObject *parent)
    : QObject(parent), m_services(services), m_installationId(newInstallationId()), m_deviceKey(SigningKey::generate())
{
}

bool FirstRunViewModel::cameraAvailable() const
{
    static const bool available = CameraScanner::isAvailable(); // device enumeration: once
    return available;
}

QString FirstRunViewModel::passphraseRule() const
{
    return passphraseRuleText();
}

QString FirstRunViewModel::codeSummary() const
{
    if (!m_code)
        return {};
    return tr("服务器 %1　终端编号 %2").arg(hostOf(*m_code), m_code->kioskId());
}

void FirstRunViewModel::submitScan(const QString &text)
{
    if (m_step != Step::Scan)
        return;
    const QString scanned = text.trimmed();
    if (auto code = EnrolmentCode::parse(scanned)) {
        m_code = code;
        setMessage({}, false);
        setStep(Step::Secrets);
        return;
    }
    if (scanned.startsWith(QLatin1String(kTicketPrefix)))
        setMessage(tr("这是准考证二维码，不是终端登记码。请扫描考务办公室提供的终端登记二维码。"), true);
    else if (scanned.startsWith(QLatin1String("KDENROL1|"), Qt::CaseInsensitive))
        setMessage(tr("登记码不完整或已损坏，请重新扫描。"), true);
    else
        setMessage(tr("这不是终端登记码（应以 KDENROL1 开头）。请扫描考务办公室提供的终端登记二维码。"), true);
}

bool FirstRunViewModel::enrol(const QString &passphrase, const QString &passphraseAgain, const QString &pin,
                              const QString &pinAgain)
{
    if (m_step != Step::Secrets || !m_code)
        return false;
    if (!m_services) {
        setMessage(tr("内部错误：没有可用的数据存储"), true);
        return false;
    }
    if (const auto problem = passphraseProblem(passphrase)) {
        setMessage(passphraseProblemText(*problem), true);
        return false;
    }
    if (passphrase != passphraseAgain) {
        setMessage(tr("两次输入的考点口令不一致，请重新输入"), true);
        return false;
    }
    if (!allDigits(pin) || pin.size() < kMinPinLength || pin.size() > kMaxPinLength) {
        setMessage(tr("监考 PIN 须为 %1 至 %2 位数字").arg(kMinPinLength).arg(kMaxPinLength), true);
        return false;
    }
    if (pin != pinAgain) {
        setMessage(tr("两次输入的监考 PIN 不一致，请重新输入"), true);
        return false;
    }
    setMessage(tr("正在连接服务器 %1 …").arg(hostOf(*m_code)), false);
    setStep(Step::Enrolling);
    m_client.check(*m_code, m_installationId, m_deviceKey ? m_deviceKey->verifyKey().raw() : QByteArray(),
                   [this, passphrase, pin](const Result<QByteArray, EnrolmentError> &result) {
                       contacted(result, passphrase, pin);
                   });
    return true;
}

void FirstRunViewModel::rescan()
{
    m_client.cancel();
    m_code.reset();
    setMessage({}, false);
    setStep(Step::Scan);
}

void FirstRunViewModel::contacted(const Result<QByteArray, EnrolmentError> &result, const QString &passphrase,
                                  const QString &pin)
{
    if (!result) {
        const EnrolmentFailure kind = result.error().kind;
        // A network or server trouble may pass: the same code again. Any
        // other answer means this code will not do: scan another.
        const bool retry = kind == EnrolmentFailure::Unreachable || kind == EnrolmentFailure::BadAnswer;
        if (!retry)
            m_code.reset();
        setStep(retry ? Step::Secrets : Step::Scan);
        setMessage(failureText(result.error()), true);
        return;
    }
    if (!m_services) {
        setStep(Step::Secrets);
        setMessage(tr("内部错误：没有可用的数据存储"), true);
        return;
    }
    if (auto s = m_services->enrol({*m_code, passphrase, pin, m_installationId, result.value(), m_deviceKey}); !s) {
        setStep(Step::Secrets);
        setMessage(tr("登记未完成：%1").arg(s.error()), true);
        return;
    }
    setMessage({}, false);
    Q_EMIT enrolled();
}

QString FirstRunViewModel::failureText(const EnrolmentError &error) const
{
    const QString host = m_code ? hostOf(*m_code) : QString();
    switch (error.kind) {
    case EnrolmentFailure::Unreachable:
        return tr("无法连接服务器 %1。请检查网线或无线网络、服务器是否在运行，然后点“登记”重试。（%2）")
            .arg(host, error.detail);
    case EnrolmentFailure::CertificateMismatch:
        return tr("服务器 %1 的证书与登记码中的不符：可能连到了别的服务器，或服务器证书已更换。"
                  "本机未登记。请向考务办公室核实，并扫描新的登记码。")
            .arg(host);
    case EnrolmentFailure::UnknownCode:
        return tr("服务器不认识这个登记码：它可能已作废，或属于另一台服务器。请考务办公室为本机重新登记，然后扫描新的登记码。");
    case EnrolmentFailure::Revoked:
        return tr("这台终端已被考务办公室注销，它的登记码不能再用。请考务办公室为本机重新登记，然后扫描新的登记码。");
    case EnrolmentFailure::AlreadyUsed:
        return tr("这个登记码已在另一台考场终端上使用过，不能再用于本机。请考务办公室为本机重新登记，然后扫描新的登记码。");
    case EnrolmentFailure::TicketKeyMismatch:
        return tr("服务器的签名密钥与登记码中的不符，本机未登记。请向考务办公室核实，并扫描新的登记码。");
    case EnrolmentFailure::BadAnswer:
        break;
    }
    return tr("服务器未能完成登记（%1）。请稍后点“登记”重试。").arg(error.detail);
}

void FirstRunViewModel::setStep(Step step)
{
    if (step == m_step)
        return;
    m_step = step;
    Q_EMIT stepChanged();
}

void FirstRunViewModel::setMessage(const QString &message, bool isError)
{
    if (message == m_message && isError == m_messageIsError)
        return;
    m_message = message;
    m_messageIsError = isError;
    Q_EMIT messageChanged();
}

} // namespace kaodian::kiosk
