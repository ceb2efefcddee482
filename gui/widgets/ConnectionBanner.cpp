#include "widgets/ConnectionBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace airlock::gui {

ConnectionBanner::ConnectionBanner(QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_body(new QLabel(this))
    , m_retry(new QPushButton(tr("&Retry now"), this)) {
    setObjectName(QStringLiteral("connectionBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(0xff, 0xf3, 0xcd));
    p.setColor(QPalette::WindowText, QColor(0x3d, 0x2c, 0x00));
    setPalette(p);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::PlainText);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_retry->setAccessibleName(tr("Retry connecting to the Airlock service now"));
    setAccessibleName(tr("Connection problem"));

    auto *text = new QVBoxLayout;
    text->addWidget(m_title);
    text->addWidget(m_body);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(text, 1);
    layout->addWidget(m_retry, 0, Qt::AlignVCenter);
    connect(m_retry, &QPushButton::clicked, this, &ConnectionBanner::retryRequested);
}

QString ConnectionBanner::text() const {
    return m_title->text() + QLatin1Char('\n') + m_body->text();
}

void ConnectionBanner::show(ServiceLink::LinkState state, const QString &socketPath, const QString &detail) {
    switch (state) {
    case ServiceLink::LinkState::Connected:
        setVisible(false);
        return;
    case ServiceLink::LinkState::Connecting:
        m_title->setText(tr("Connecting to the Airlock service…"));
        m_body->setText(tr("Socket: %1").arg(socketPath));
        break;
    case ServiceLink::LinkState::Unreachable:
        m_title->setText(tr("The Airlock service is not reachable."));
        m_body->setText(tr("The panel could not connect to %1 (%2).\n"
                           "Check that the service is running: systemctl status secure-ai-airlock. "
                           "Start it with: sudo systemctl start secure-ai-airlock.\n"
                           "The panel reconnects by itself as soon as the service answers.")
                            .arg(socketPath, detail.isEmpty() ? tr("no answer") : detail));
        break;
    case ServiceLink::LinkState::Refused:
        m_title->setText(tr("The Airlock service refused this panel."));
        m_body->setText(tr("The service said: %1\n"
                           "Only root, the service account and members of the administrators' or viewers' "
                           "group (secure-ai-admin by default) may use the panel. Ask an administrator to "
                           "add your account, log in again, then retry.")
                            .arg(detail));
        break;
    }
    setAccessibleDescription(m_body->text());
    setVisible(true);
}

} // namespace airlock::gui
