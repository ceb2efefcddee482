#include "widgets/KioskWindow.h"

#include "client/ServiceLink.h"
#include "models/ActivityModel.h"
#include "models/Colours.h"
#include "models/DailyCounters.h"
#include "models/Format.h"
#include "widgets/KioskPullBoard.h"
#include "widgets/KioskPullRow.h"
#include "widgets/Labels.h"
#include "widgets/StateLook.h"
#include "widgets/TransfersPage.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

namespace airlock::gui {

KioskWindow::KioskWindow(ServiceLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_counters(new DailyCounters(this))
    , m_band(new QWidget(this))
    , m_icon(new QLabel(m_band))
    , m_state(boardLabel(m_band, 4.0, true))
    , m_explanation(boardLabel(m_band, 1.6, false))
    , m_connection(boardLabel(m_band, 1.3, false))
    , m_allowed(boardLabel(this, 2.2, true))
    , m_blocked(boardLabel(this, 2.2, true))
    , m_bytes(boardLabel(this, 2.2, true))
    , m_pulls(new KioskPullBoard(this))
    , m_recentBox(new QWidget(this))
    , m_transfersTitle(boardLabel(this, 1.5, true))
    , m_transfers(new TransfersPage(this)) {
    setWindowTitle(tr("Secure AI Airlock — status"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/airlock.svg")));
    setAccessibleName(tr("Airlock status board"));
    m_band->setAutoFillBackground(true);
    m_explanation->setWordWrap(true);
    m_connection->setWordWrap(true);
    m_transfers->setMaximumRows(6);
    QFont transferFont = m_transfers->font();
    transferFont.setPointSizeF(transferFont.pointSizeF() * 1.2);
    m_transfers->setFont(transferFont);
    m_transfers->setFocusPolicy(Qt::NoFocus);
    // Like the last decisions, the downloads give way to the model pulls when the screen is full:
    // they are hidden rather than squeezed (see fitLowerLists).
    m_transfers->setMinimumHeight(m_transfers->fontMetrics().height() * 2);
    m_pulls->setLinger(PullLingerMs);

    auto *bandText = new QVBoxLayout;
    bandText->addWidget(m_state);
    bandText->addWidget(m_explanation);
    bandText->addWidget(m_connection);
    auto *band = new QHBoxLayout(m_band);
    band->setContentsMargins(32, 24, 32, 24);
    band->setSpacing(32);
    band->addWidget(m_icon, 0, Qt::AlignVCenter);
    band->addLayout(bandText, 1);

    auto *counters = new QGridLayout;
    const QStringList captions{tr("Allowed today"), tr("Blocked today"), tr("Delivered today")};
    const QList<QLabel *> values{m_allowed, m_blocked, m_bytes};
    for (int i = 0; i < 3; ++i) {
        QLabel *caption = boardLabel(this, 1.2, false);
        caption->setText(captions.at(i));
        counters->addWidget(caption, 0, i);
        counters->addWidget(values.at(i), 1, i);
        values.at(i)->setAccessibleName(captions.at(i));
    }

    // The last decisions give way to the model pulls above them: the oldest lines go first.
    for (int i = 0; i < RecentCount; ++i)
        m_recentLabels.append(boardLabel(m_recentBox, 1.25, false));
    m_recentBox->setMinimumHeight(m_recentLabels.first()->fontMetrics().height());
    m_recentBox->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_recentBox->installEventFilter(this);

    auto *recentTitle = boardLabel(this, 1.5, true);
    recentTitle->setText(tr("Last decisions"));
    m_transfersTitle->setText(tr("Downloads"));
    auto *lower = new QGridLayout;
    lower->addWidget(recentTitle, 0, 0);
    lower->addWidget(m_recentBox, 1, 0);
    lower->addWidget(m_transfersTitle, 0, 1);
    lower->addWidget(m_transfers, 1, 1);
    lower->setColumnStretch(0, 3);
    lower->setColumnStretch(1, 2);
    lower->setRowStretch(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_band);
    auto *body = new QVBoxLayout;
    body->setContentsMargins(32, 16, 32, 24);
    body->setSpacing(20);
    body->addLayout(counters);
    body->addWidget(m_pulls);
    body->addLayout(lower, 1);
    layout->addLayout(body, 1);

    connect(m_link, &ServiceLink::linkStateChanged, this, &KioskWindow::refresh);
    connect(m_link, &ServiceLink::statusChanged, this, &KioskWindow::refresh);
    connect(m_link, &ServiceLink::decisionsReceived, this, &KioskWindow::addDecisions);
    connect(m_link, &ServiceLink::transfersChanged, m_transfers, &TransfersPage::setTransfers);
    // Queued: when the link drops, the emptied list comes before the news that it dropped, and
    // the board keeps the pulls it last knew rather than show them all gone.
    connect(m_link, &ServiceLink::pullsChanged, this, &KioskWindow::updatePulls, Qt::QueuedConnection);
    connect(m_counters, &DailyCounters::changed, this, &KioskWindow::refresh);
    // The board runs for days: start a new day at midnight even when nothing happens.
    auto *midnight = new QTimer(this);
    connect(midnight, &QTimer::timeout, this, [this] { m_counters->rollOver(QDate::currentDate()); });
    midnight->start(60'000);
    refresh();
    updatePulls();
}

bool KioskWindow::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_recentBox && event->type() == QEvent::Resize)
        fitLowerLists();
    return QWidget::eventFilter(watched, event);
}

void KioskWindow::fitLowerLists() {
    const int spacing = 6;
    int y = 0;
    for (QLabel *line : std::as_const(m_recentLabels)) {
        const int height = line->fontMetrics().height();
        line->setGeometry(0, y, m_recentBox->width(), height);
        line->setVisible(y + height <= m_recentBox->height());
        y += height + spacing;
    }
    // The downloads share the row: shown only when they fit whole.
    const bool downloadsFit = m_recentBox->height() >= m_transfers->minimumSizeHint().height();
    m_transfers->setVisible(downloadsFit);
    m_transfersTitle->setVisible(downloadsFit);
}

void KioskWindow::updatePulls() {
    if (m_link->linkState() == ServiceLink::LinkState::Connected)
        m_pulls->setPulls(m_link->pulls());
}

void KioskWindow::setPullLinger(int ms) {
    m_pulls->setLinger(ms);
}

int KioskWindow::pullCount() const {
    return m_pulls->count();
}

QString KioskWindow::pullText(int i) const {
    const KioskPullRow *row = m_pulls->row(i);
    return row ? row->text() : QString();
}

int KioskWindow::pullPercent(int i) const {
    const KioskPullRow *row = m_pulls->row(i);
    return row ? row->percent() : -1;
}

void KioskWindow::addDecisions(const QList<DecisionEvent> &events) {
    m_counters->add(events);
    for (const DecisionEvent &e : events) {
        // A pull's start and end are shown in its own section; its requests are decisions here.
        if (e.transferEnd() || e.event == EventKind::PullStarted || e.event == EventKind::PullFinished)
            continue;
        m_recent.push_front(e);
        if (int(m_recent.size()) > RecentCount)
            m_recent.pop_back();
    }
    refresh();
}

QString KioskWindow::stateText() const {
    return m_state->text();
}

QString KioskWindow::countersText() const {
    return QStringList{m_allowed->text(), m_blocked->text(), m_bytes->text()}.join(QLatin1Char(' '));
}

QStringList KioskWindow::recentLines() const {
    QStringList lines;
    for (QLabel *label : m_recentLabels)
        if (!label->text().isEmpty())
            lines.append(label->text());
    return lines;
}

void KioskWindow::refresh() {
    const bool connected = m_link->linkState() == ServiceLink::LinkState::Connected;
    const std::optional<ServiceStatus> status = m_link->status();
    // While the service is away the last known state stays up, marked as not current.
    const StateLook::Look look = status ? StateLook::lookFor(status->state()) : StateLook::Look::Unreachable;
    const StateLook s = StateLook::of(look);

    QPalette p = m_band->palette();
    p.setColor(QPalette::Window, s.colour);
    p.setColor(QPalette::WindowText, s.textColour);
    m_band->setPalette(p);
    for (QLabel *label : {m_state, m_explanation, m_connection})
        label->setPalette(p);
    m_icon->setPixmap(StateLook::pixmap(s.iconPath, 128, devicePixelRatioF()));
    m_state->setText(s.title);
    QString explanation = s.explanation;
    if (status && status->lockdown && !status->lockdownReason.isEmpty())
        explanation += QLatin1Char(' ') + tr("Reason: %1").arg(status->lockdownReason);
    m_explanation->setText(explanation);
    if (connected)
        m_connection->clear();
    else if (status)
        m_connection->setText(tr("Service not reachable — last known state shown. Reconnecting…"));
    else
        m_connection->setText(tr("Waiting for the Airlock service…"));
    m_connection->setVisible(!m_connection->text().isEmpty());
    m_band->setAccessibleName(tr("Airlock state: %1").arg(s.title));

    const QLocale locale;
    m_allowed->setText(locale.toString(m_counters->allowed()));
    m_blocked->setText(locale.toString(m_counters->blocked()));
    m_bytes->setText(Format::bytes(m_counters->bytes()));

    for (int i = 0; i < RecentCount; ++i) {
        QLabel *label = m_recentLabels.at(i);
        if (i >= int(m_recent.size())) {
            label->clear();
            continue;
        }
        const DecisionEvent &e = m_recent.at(std::size_t(i));
        const QString what = e.allowed() ? tr("Allowed") : tr("Blocked");
        const QString line =
            tr("%1  %2  %3 %4").arg(e.time.toLocalTime().toString(QStringLiteral("HH:mm:ss")), what, e.method, e.host);
        label->setText(e.allowed() ? line : tr("%1 — %2").arg(line, ActivityModel::describeCode(e.code)));
        QPalette lp = label->palette();
        lp.setColor(QPalette::WindowText, e.allowed() ? Colours::good() : Colours::bad());
        label->setPalette(lp);
    }
}

} // namespace airlock::gui
