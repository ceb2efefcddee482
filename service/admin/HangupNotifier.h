#pragma once

#include <QObject>

class QSocketNotifier;

namespace airlock {

// Turns SIGHUP into a Qt signal. The handler only writes a byte to a socket pair (async-signal
// safe); the event loop reads it and emits hangup(). One instance per process.
class HangupNotifier final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HangupNotifier)
public:
    explicit HangupNotifier(QObject *parent = nullptr);
    ~HangupNotifier() override;
    bool isInstalled() const { return m_notifier != nullptr; }

Q_SIGNALS:
    void hangup();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace airlock
