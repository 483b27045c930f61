#pragma once

// A kiosk's first contact with the server when it is enrolled at its own
// screen: with the enrolment code's credential and this installation's id,
// over TLS pinned to the code's certificate, it asks for its session
// package. The server binds the code to the first installation that
// presents it, and registers the device key's public half sent with it;
// the package must be signed by the ticket key the code names.
// Answers a failure kind with the server's or the network's detail (the
// words for the screen are the view model's) or the package's bytes.
//
// Threads: the GUI thread (Qt Network is asynchronous); one check at a time.

#include "kiosk/sync/syncclient.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace kaodian::kiosk {

enum class EnrolmentFailure : std::uint8_t {
    Unreachable,         // no answer: address, port, network or time-out
    CertificateMismatch, // a server answered with another certificate than the code pins
    UnknownCode,         // the server knows no kiosk with this credential (401)
    Revoked,             // the office revoked this kiosk (403 kiosk_revoked)
    AlreadyUsed,         // another installation presented the code first (409 enrolment_used)
    TicketKeyMismatch,   // the package is signed by another key than the code names
    BadAnswer,           // anything else; the detail says what
};

struct EnrolmentError
{
    EnrolmentFailure kind = EnrolmentFailure::BadAnswer;
    QString detail; // the server's message or the network's error, for the log and the screen
};

class EnrolmentClient : public QObject
{
    Q_OBJECT

public:
    // The signed package's bytes, or why not.
    using Done = std::function<void(const Result<QByteArray, EnrolmentError> &)>;

    explicit EnrolmentClient(QObject *parent = nullptr);
    ~EnrolmentClient() override;

    void setTimeout(int ms) { m_timeoutMs = ms; }
    [[nodiscard]] bool busy() const;

    // Starts the first contact; `done` is called once, later, on this thread
    // (not if cancel() comes first or the client is destroyed).
    // devicePublicKey: the raw public half of the kiosk's device key (may be empty).
    void check(const EnrolmentCode &code, const QByteArray &installationId, const QByteArray &devicePublicKey,
               Done done);
    void cancel();

private:
    void finished(QNetworkReply *reply, const EnrolmentCode &code);

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    Done m_done;
    bool m_certificateMismatch = false;
    int m_timeoutMs = 15000;
};

} // namespace kaodian::kiosk
