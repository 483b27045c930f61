#pragma once

// The sound that goes with each card on the check-in screen: a rising chime
// for a check-in, a low double buzz for a refusal. The tones are made here
// (PCM WAV in a temporary folder) so the kiosk ships no audio files.
// Only with Qt Multimedia; createIfAvailable() returns null without it, and
// a kiosk without a sound device stays silent rather than failing.
// GUI thread only.

#include <QObject>

#include <memory>

class QTemporaryDir;
class QSoundEffect;

namespace kaodian::kiosk {

class SoundFeedback : public QObject
{
    Q_OBJECT

public:
    enum class Cue : std::uint8_t { Success, Warning, Refusal };

    static std::unique_ptr<SoundFeedback> createIfAvailable();
    ~SoundFeedback() override;

    void play(Cue cue);

    // 16-bit mono PCM WAV bytes of the given tones (Hz, milliseconds), for tests.
    static QByteArray synthesise(const QList<QPair<int, int>> &tones, int sampleRate = 22050);

private:
    SoundFeedback();
    std::unique_ptr<QTemporaryDir> m_dir;
    QSoundEffect *m_success = nullptr;
    QSoundEffect *m_warning = nullptr;
    QSoundEffect *m_refusal = nullptr;
};

} // namespace kaodian::kiosk
