#include "widgets/StateHeader.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace airlock::gui {

StateHeader::StateHeader(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(this))
    , m_explanation(new QLabel(this))
    , m_counters(new QLabel(this))
    , m_toggle(new QPushButton(this))
    , m_lockdown(new QPushButton(this))
    , m_unlock(new QPushButton(this)) {
    setObjectName(QStringLiteral("stateHeader"));
    setAutoFillBackground(true);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_explanation->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *text = new QVBoxLayout;
    text->setSpacing(2);
    text->addWidget(m_title);
    text->addWidget(m_explanation);
    text->addWidget(m_counters);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(16, 10, 16, 10);
    layout->setSpacing(14);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addLayout(text, 1);
    layout->addWidget(m_toggle);
    layout->addWidget(m_lockdown);
    layout->addWidget(m_unlock);

    connect(m_toggle, &QPushButton::clicked, this, [this] {
        if (m_status)
            Q_EMIT enableRequested(!m_status->enabled);
    });
    connect(m_lockdown, &QPushButton::clicked, this, &StateHeader::lockdownRequested);
    connect(m_unlock, &QPushButton::clicked, this, &StateHeader::unlockRequested);
    refresh();
}

void StateHeader::setStatus(const std::optional<ServiceStatus> &status, bool connected) {
    m_status = status;
    m_connected = connected;
    refresh();
}

void StateHeader::setAdmin(bool admin) {
    m_admin = admin;
    refresh();
}

void StateHeader::setBusy(bool busy) {
    m_busy = busy;
    refresh();
}

void StateHeader::setCounters(const QString &text) {
    m_counters->setText(text);
    m_counters->setVisible(!text.isEmpty());
}

QString StateHeader::stateText() const {
    return m_title->text();
}

void StateHeader::changeEvent(QEvent *event) {
    QFrame::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        refresh();
}

void StateHeader::refresh() {
    const bool known = m_connected && m_status.has_value();
    const StateLook::Look look = known ? StateLook::lookFor(m_status->state()) : StateLook::Look::Unreachable;
    const StateLook s = StateLook::of(look);

    QPalette p = palette();
    p.setColor(QPalette::Window, s.colour);
    p.setColor(QPalette::WindowText, s.textColour);
    setPalette(p);
    for (QLabel *label : {m_title, m_explanation, m_counters})
        label->setPalette(p);

    m_icon->setPixmap(StateLook::pixmap(s.iconPath, 56, devicePixelRatioF()));
    m_icon->setAccessibleName(tr("State icon: %1").arg(s.title));
    m_title->setText(s.title);
    QString explanation = s.explanation;
    if (known && m_status->lockdown && !m_status->lockdownReason.isEmpty())
        explanation += QLatin1Char(' ') + tr("Reason: %1").arg(m_status->lockdownReason);
    if (known && m_status->lockdown && m_status->enabled)
        explanation += QLatin1Char(' ') + tr("(Switched on, but the lockdown overrides it.)");
    m_explanation->setText(explanation);
    setAccessibleName(tr("Airlock state: %1").arg(s.title));
    setAccessibleDescription(explanation);

    const bool enabled = known && m_status->enabled;
    m_toggle->setText(enabled ? tr("&Turn off") : tr("&Turn on"));
    m_toggle->setAccessibleName(enabled ? tr("Turn the Airlock off") : tr("Turn the Airlock on"));
    m_toggle->setToolTip(m_admin ? m_toggle->accessibleName() : tr("Only administrators can change this."));
    m_toggle->setEnabled(known && m_admin && !m_busy);

    const bool locked = known && m_status->lockdown;
    m_lockdown->setText(tr("&Lockdown…"));
    m_lockdown->setAccessibleName(tr("Lock down the Airlock"));
    m_lockdown->setToolTip(tr("Refuse every request at once, whatever else is set."));
    m_lockdown->setVisible(!locked);
    m_lockdown->setEnabled(known && m_admin && !m_busy);
    m_unlock->setText(tr("&Unlock…"));
    m_unlock->setAccessibleName(tr("Unlock the Airlock"));
    m_unlock->setToolTip(m_admin ? tr("End the lockdown.") : tr("Only administrators can end a lockdown."));
    m_unlock->setVisible(locked);
    m_unlock->setEnabled(known && m_admin && !m_busy);
}

} // namespace airlock::gui
