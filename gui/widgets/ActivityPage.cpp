#include "widgets/ActivityPage.h"

#include "models/ActivityFilter.h"
#include "models/ActivityModel.h"
#include "models/DailyCounters.h"
#include "models/Format.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace airlock::gui {

ActivityPage::ActivityPage(ActivityModel *model, DailyCounters *counters, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_counters(counters)
    , m_filter(new ActivityFilter(this))
    , m_decision(new QComboBox(this))
    , m_host(new QLineEdit(this))
    , m_text(new QLineEdit(this))
    , m_pause(new QPushButton(this))
    , m_copy(new QPushButton(tr("&Copy row"), this))
    , m_countersLabel(new QLabel(this))
    , m_shown(new QLabel(this))
    , m_table(new QTableView(this)) {
    m_filter->setSourceModel(model);

    m_decision->addItem(tr("All decisions"), int(ActivityFilter::DecisionFilter::All));
    m_decision->addItem(tr("Allowed only"), int(ActivityFilter::DecisionFilter::Allowed));
    m_decision->addItem(tr("Blocked only"), int(ActivityFilter::DecisionFilter::Blocked));
    m_decision->setAccessibleName(tr("Show decisions"));
    m_host->setPlaceholderText(tr("Host contains…"));
    m_host->setAccessibleName(tr("Filter by host"));
    m_host->setClearButtonEnabled(true);
    m_text->setPlaceholderText(tr("Search method, path, code, rule…"));
    m_text->setAccessibleName(tr("Filter by text"));
    m_text->setClearButtonEnabled(true);
    m_copy->setAccessibleName(tr("Copy the selected row"));
    m_copy->setToolTip(tr("Copy the selected row as tab-separated text (Ctrl+C)"));
    m_countersLabel->setAccessibleName(tr("Today's counters"));

    auto *decisionLabel = new QLabel(tr("&Show:"), this);
    decisionLabel->setBuddy(m_decision);

    m_table->setModel(m_filter);
    m_table->setAccessibleName(tr("Decisions, newest first"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(ActivityModel::Path, QHeaderView::Stretch);
    // Widths from the texts the columns hold, so they fit in any language and at any scale.
    const QFontMetrics fm = m_table->fontMetrics();
    const auto fit = [&](int column, const QStringList &samples) {
        int width = fm.horizontalAdvance(model->headerData(column, Qt::Horizontal).toString());
        for (const QString &sample : samples)
            width = qMax(width, fm.horizontalAdvance(sample));
        m_table->setColumnWidth(column, width + 24);
    };
    fit(ActivityModel::Time, {QStringLiteral("00:00:00")});
    fit(ActivityModel::Decision, {ActivityModel::tr("Allowed"), ActivityModel::tr("Blocked")});
    fit(ActivityModel::Method, {QStringLiteral("OPTIONS")});
    fit(ActivityModel::Host, {QStringLiteral("cdn-lfs.huggingface.co")});
    fit(ActivityModel::CodeOrRule, {ActivityModel::describeCode(ErrorCode::DestinationNotAllowed)});
    fit(ActivityModel::Status, {QStringLiteral("000")});
    fit(ActivityModel::Bytes, {QStringLiteral("999.9 MB")});
    fit(ActivityModel::Caller, {QStringLiteral("secai-agent")});
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *copyAction = new QAction(tr("Copy row"), m_table);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_table->addAction(copyAction);
    connect(copyAction, &QAction::triggered, this, &ActivityPage::copyCurrentRow);
    connect(m_copy, &QPushButton::clicked, this, &ActivityPage::copyCurrentRow);

    auto *filters = new QHBoxLayout;
    filters->addWidget(decisionLabel);
    filters->addWidget(m_decision);
    filters->addWidget(m_host, 1);
    filters->addWidget(m_text, 2);
    filters->addWidget(m_pause);
    filters->addWidget(m_copy);

    // Today's counters are in the header, seen from every tab; here only what the table shows.
    m_countersLabel->hide();
    auto *footer = new QHBoxLayout;
    footer->addStretch(1);
    footer->addWidget(m_shown);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    layout->addLayout(footer);

    connect(m_decision, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setDecisionFilter(ActivityFilter::DecisionFilter(m_decision->currentData().toInt())); });
    connect(m_host, &QLineEdit::textChanged, m_filter, &ActivityFilter::setHostFilter);
    connect(m_text, &QLineEdit::textChanged, m_filter, &ActivityFilter::setTextFilter);
    connect(m_pause, &QPushButton::clicked, this, [this] { m_model->setPaused(!m_model->isPaused()); });
    connect(m_model, &ActivityModel::pausedChanged, this, &ActivityPage::updatePause);
    connect(m_model, &ActivityModel::heldChanged, this, &ActivityPage::updatePause);
    connect(m_counters, &DailyCounters::changed, this, &ActivityPage::updateCounters);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &ActivityPage::updateCounters);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ActivityPage::updateCounters);
    setTabOrder(m_decision, m_host);
    setTabOrder(m_host, m_text);
    setTabOrder(m_text, m_pause);
    setTabOrder(m_pause, m_copy);
    setTabOrder(m_copy, m_table);
    updatePause();
    updateCounters();
}

QString ActivityPage::countersText() const {
    return m_countersLabel->text();
}

bool ActivityPage::copyCurrentRow() {
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return false;
    const int row = m_filter->mapToSource(current).row();
    QApplication::clipboard()->setText(m_model->rowText(row));
    return true;
}

void ActivityPage::updateCounters() {
    m_countersLabel->setText(tr("Today: %1 allowed, %2 blocked, %3 delivered")
                                 .arg(m_counters->allowed())
                                 .arg(m_counters->blocked())
                                 .arg(Format::bytes(m_counters->bytes())));
    m_shown->setText(tr("%1 of %2 rows shown (newest %3 kept)")
                         .arg(m_filter->rowCount())
                         .arg(m_model->rowCount())
                         .arg(m_model->capacity()));
}

void ActivityPage::updatePause() {
    if (m_model->isPaused()) {
        m_pause->setText(m_model->held() > 0 ? tr("&Resume (%1 new)").arg(m_model->held()) : tr("&Resume"));
        m_pause->setAccessibleName(tr("Resume the live table"));
    } else {
        m_pause->setText(tr("&Pause"));
        m_pause->setAccessibleName(tr("Pause the live table"));
    }
}

} // namespace airlock::gui
