#include "soundfeedback.h"

#include <QFile>
#include <QTemporaryDir>
#include <QUrl>
#include <QtEndian>

#include <cmath>
#include <numbers>

#ifdef KAODIAN_KIOSK_HAVE_MULTIMEDIA
#include <QSoundEffect>
#endif

namespace kaodian::kiosk {

namespace {

void appendLe(QByteArray &out, quint32 v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(static_cast<char>((v >> (8 * i)) & 0xff));
}

} // namespace

QByteArray SoundFeedback::synthesise(const QList<QPair<int, int>> &tones, int sampleRate)
{
    QByteArray pcm;
    for (const auto &[hz, ms] : tones) {
        const int n = sampleRate * ms / 1000;
        const int fade = std::min(n / 4, sampleRate / 200); // 5 ms: no clicks
        for (int i = 0; i < n; ++i) {
            double amp = 0.45;
            if (i < fade)
                amp *= double(i) / fade;
            else if (i > n - fade)
                amp *= double(n - i) / fade;
            const double v = hz > 0 ? amp * std::sin(2 * std::numbers::pi * hz * i / sampleRate) : 0.0;
            appendLe(pcm, static_cast<quint16>(static_cast<qint16>(v * 32767)), 2);
        }
    }
    QByteArray wav("RIFF");
    appendLe(wav, 36 + pcm.size(), 4);
    wav.append("WAVEfmt ");
    appendLe(wav, 16, 4);
    appendLe(wav, 1, 2); // PCM
    appendLe(wav, 1, 2); // mono
    appendLe(wav, sampleRate, 4);
    appendLe(wav, sampleRate * 2, 4);
    appendLe(wav, 2, 2);
    appendLe(wav, 16, 2);
    wav.append("data");
    appendLe(wav, pcm.size(), 4);
    return wav + pcm;
}

SoundFeedback::SoundFeedback() : m_dir(std::make_unique<QTemporaryDir>()) {}

SoundFeedback::~SoundFeedback() = default;

std::unique_ptr<SoundFeedback> SoundFeedback::createIfAvailable()
{
#ifdef KAODIAN_KIOSK_HAVE_MULTIMEDIA
    std::unique_ptr<SoundFeedback> sound(new SoundFeedback);
    if (!sound->m_dir->isValid())
        return nullptr;
    auto make = [&](const QString &name, const QList<QPair<int, int>> &tones) -> QSoundEffect * {
        const QString path = sound->m_dir->filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(synthesise(tones)) < 0)
            return nullptr;
        f.close();
        auto *effect = new QSoundEffect(sound.get());
        effect->setSource(QUrl::fromLocalFile(path));
        effect->setVolume(0.9f);
        return effect;
    };
    sound->m_success = make(QStringLiteral("success.wav"), {{880, 110}, {1320, 180}});
    sound->m_warning = make(QStringLiteral("warning.wav"), {{660, 160}, {0, 60}, {660, 160}});
    sound->m_refusal = make(QStringLiteral("refusal.wav"), {{220, 220}, {0, 70}, {220, 320}});
    return sound;
#else
    return nullptr;
#endif
}

void SoundFeedback::play(Cue cue)
{
#ifdef KAODIAN_KIOSK_HAVE_MULTIMEDIA
    QSoundEffect *effect = cue == Cue::Success ? m_success : cue == Cue::Warning ? m_warning : m_refusal;
    if (effect)
        effect->play();
#else
    Q_UNUSED(cue)
#endif
}

} // namespace kaodian::kiosk
