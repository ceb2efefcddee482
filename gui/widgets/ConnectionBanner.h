#pragma once

#include "client/ServiceLink.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace airlock::gui {

// Shown above everything while the panel has no working connection to the service: what is
// wrong (not running, socket missing, access refused), what to do about it, and that the panel
// keeps trying by itself. Hidden while connected.
class ConnectionBanner final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionBanner)

public:
    explicit ConnectionBanner(QWidget *parent = nullptr);

    void show(ServiceLink::LinkState state, const QString &socketPath, const QString &detail);
    QString text() const;

Q_SIGNALS:
    void retryRequested();

private:
    QLabel *m_title;
    QLabel *m_body;
    QPushButton *m_retry;
};

} // namespace airlock::gui
