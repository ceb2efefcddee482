#include "widgets/KioskPullRow.h"

#include "base/ErrorCode.h"
#include "models/ActivityModel.h"
#include "models/Format.h"
#include "models/PullListModel.h"
#include "widgets/Labels.h"
#include "widgets/StateLook.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace airlock::gui {

namespace {

StateLook::Look lookOf(const QString &state) {
    if (state == QLatin1String("published"))
        return StateLook::Look::Enabled;
    if (state == QLatin1String("failed"))
        return StateLook::Look::Lockdown;
    if (state == QLatin1String("stopped") || state == QLatin1String("interrupted"))
        return StateLook::Look::Unreachable; // amber: partial files kept, it can be resumed
    return StateLook::Look::Disabled;        // cancelled, or a state this panel does not know
}

// Per mille of the bytes, so a large model's bar moves smoothly; -1 while the total is unknown.
int permille(const PullInfo &p) {
    if (p.bytesTotal <= 0)
        return p.published() ? 1000 : -1;
    return int(qBound(qint64(0), p.bytesDone * 1000 / p.bytesTotal, qint64(1000)));
}

} // namespace

KioskPullRow::KioskPullRow(QWidget *parent)
    : QFrame(parent)
    , m_name(boardLabel(this, 1.8, true))
    , m_status(boardLabel(this, 1.8, true))
    , m_bar(new QProgressBar(this))
    , m_detail(boardLabel(this, 1.25, false)) {
    setFrameShape(QFrame::StyledPanel);
    setFocusPolicy(Qt::NoFocus);
    // The name gives way to the percent and time left, and is shortened in the middle.
    m_name->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_name->setMinimumWidth(m_name->fontMetrics().averageCharWidth() * 8);
    m_detail->setWordWrap(true);
    m_bar->setTextVisible(false); // the percent is beside the name, in large type
    m_bar->setFocusPolicy(Qt::NoFocus);
    m_bar->setMinimumHeight(m_status->fontMetrics().height());

    auto *top = new QHBoxLayout;
    top->setSpacing(m_name->fontMetrics().averageCharWidth() * 2);
    top->addWidget(m_name, 1);
    top->addWidget(m_status, 0, Qt::AlignRight | Qt::AlignVCenter);
    auto *layout = new QVBoxLayout(this);
    const int margin = m_detail->fontMetrics().height() / 2;
    layout->setContentsMargins(margin, margin / 2, margin, margin / 2);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_bar);
    layout->addWidget(m_detail);
}

QString KioskPullRow::stateWords(const QString &state) {
    return PullListModel::stateText(state); // the Models page's words, so both say the same
}

QColor KioskPullRow::outcomeColour(const QString &state) {
    return StateLook::of(lookOf(state)).colour;
}

QColor KioskPullRow::outcomeTextColour(const QString &state) {
    return StateLook::of(lookOf(state)).textColour;
}

void KioskPullRow::setPull(const PullInfo &p, bool ended) {
    m_fullName = p.name.isEmpty() ? p.source : p.name;
    elideName();
    m_name->setToolTip(m_fullName);

    const int value = permille(p);
    if (value < 0 && !ended) {
        m_bar->setRange(0, 0); // busy: the total is not known yet
    } else {
        m_bar->setRange(0, 1000);
        m_bar->setValue(qMax(0, value));
    }

    const int pct = p.percent();
    QString status;
    if (ended)
        status = stateWords(p.state);
    else if (p.state == QLatin1String("downloading") && pct >= 0 && p.etaSeconds >= 0)
        status = tr("%1 % · %2 left").arg(pct).arg(Format::duration(p.etaSeconds));
    else if (p.state == QLatin1String("downloading") && pct >= 0)
        status = tr("%1 %").arg(pct);
    else
        status = stateWords(p.state);
    m_status->setText(status);

    QStringList detail;
    detail.append(p.bytesTotal > 0 ? tr("%1 of %2").arg(Format::bytes(p.bytesDone), Format::bytes(p.bytesTotal))
                                   : Format::bytes(p.bytesDone));
    if (!ended && p.rate > 0)
        detail.append(Format::rate(p.rate));
    if (p.filesTotal > 0)
        detail.append(tr("%1 of %2 files verified").arg(p.filesVerified).arg(p.filesTotal));
    if (ended && !p.errorMessage.isEmpty())
        detail.append(p.errorMessage); // the service's own words
    else if (ended && !p.errorCode.isEmpty())
        detail.append(ActivityModel::describeCode(errorCodeFromName(p.errorCode)));
    m_detail->setText(detail.join(QStringLiteral(" · ")));

    // An ended pull says how on the outcome's colour; the bar takes the colour too.
    QPalette statusPalette = palette();
    QPalette barPalette = palette();
    if (ended) {
        statusPalette.setColor(QPalette::Window, outcomeColour(p.state));
        statusPalette.setColor(QPalette::WindowText, outcomeTextColour(p.state));
        barPalette.setColor(QPalette::Highlight, outcomeColour(p.state));
    }
    m_status->setAutoFillBackground(ended);
    // Padded sideways only, so a row keeps its height when its pull ends.
    const int pad = ended ? m_status->fontMetrics().height() / 3 : 0;
    m_status->setContentsMargins(pad, 0, pad, 0);
    m_status->setPalette(statusPalette);
    m_bar->setPalette(barPalette);

    m_bar->setAccessibleName(tr("Progress of %1").arg(m_fullName));
    m_bar->setAccessibleDescription(status);
    setAccessibleName(tr("Model pull %1: %2").arg(m_fullName, status));
    setAccessibleDescription(m_detail->text());
}

QString KioskPullRow::text() const {
    return QStringList{m_fullName, m_status->text(), m_detail->text()}.join(QLatin1Char('\n'));
}

int KioskPullRow::percent() const {
    if (m_bar->maximum() == 0)
        return -1;
    return m_bar->value() / 10;
}

QColor KioskPullRow::badgeColour() const {
    return m_status->autoFillBackground() ? m_status->palette().color(QPalette::Window) : QColor();
}

void KioskPullRow::resizeEvent(QResizeEvent *event) {
    QFrame::resizeEvent(event);
    elideName();
}

void KioskPullRow::elideName() {
    m_name->setText(m_name->fontMetrics().elidedText(m_fullName, Qt::ElideMiddle, qMax(0, m_name->width())));
}

} // namespace airlock::gui
