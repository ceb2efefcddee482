#include "widgets/ModelsPage.h"

#include "models/Colours.h"
#include "widgets/Labels.h"

#include "client/ServiceLink.h"
#include "models/Format.h"
#include "models/PullListModel.h"
#include "widgets/PullDialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

namespace airlock::gui {

namespace {

// The Progress column as a progress bar carrying the row's "1.2 GB of 4.0 GB".
class ProgressDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override {
        const QVariant percent = index.data(PullListModel::PercentRole);
        if (!percent.isValid()) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem item = option;
        initStyleOption(&item, index);
        item.text.clear();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &item, painter, widget);

        QStyleOptionProgressBar bar;
        bar.initFrom(widget);
        bar.state = option.state | QStyle::State_Horizontal;
        const int margin = qMax(1, option.rect.height() / 8);
        bar.rect = option.rect.adjusted(margin, margin, -margin, -margin);
        bar.minimum = 0;
        bar.maximum = 100;
        bar.progress = qMax(0, percent.toInt());
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.textAlignment = Qt::AlignCenter;
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
    }
};

} // namespace

ModelsPage::ModelsPage(ServiceLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_model(new PullListModel(this))
    , m_tree(new QTreeView(this))
    , m_pull(new QPushButton(tr("&Pull a model…"), this))
    , m_unavailable(new QLabel(this))
    , m_free(new QLabel(this))
    , m_detailBox(new QGroupBox(tr("Selected pull"), this))
    , m_detail(new QFormLayout)
    , m_noSelection(new QLabel(tr("Select a pull to see its details."), this))
    , m_source(valueLabel(this, tr("Source")))
    , m_revision(valueLabel(this, tr("Revision")))
    , m_state(valueLabel(this, tr("State")))
    , m_verified(valueLabel(this, tr("Verification")))
    , m_pathRow(new QWidget(this))
    , m_path(new QLineEdit(this))
    , m_copyPath(new QPushButton(tr("Cop&y path"), this))
    , m_error(valueLabel(this, tr("Why it failed")))
    , m_cancel(new QPushButton(tr("&Cancel pull"), this))
    , m_resume(new QPushButton(tr("R&esume"), this))
    , m_remove(new QPushButton(tr("Remo&ve…"), this))
    , m_result(new QLabel(this)) {
    m_pull->setAccessibleName(tr("Pull a model"));
    m_pull->setToolTip(tr("Download a model from Hugging Face or the Ollama registry through the Airlock."));
    m_unavailable->setWordWrap(true);
    m_unavailable->setTextFormat(Qt::PlainText);
    m_unavailable->setAccessibleName(tr("Why no pull can be started"));
    m_free->setTextFormat(Qt::PlainText);
    m_free->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_free->setAccessibleName(tr("Free space at the destination"));

    m_tree->setModel(m_model);
    m_tree->setItemDelegateForColumn(PullListModel::Progress, new ProgressDelegate(m_tree));
    m_tree->setAccessibleName(tr("Model pulls"));
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(PullListModel::Name, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(PullListModel::Progress, QHeaderView::Interactive);
    const QString widest = PullListModel::progressText(999'900'000'000, 999'900'000'000);
    m_tree->header()->resizeSection(PullListModel::Progress, fontMetrics().horizontalAdvance(widest) * 5 / 4);
    for (int column : {PullListModel::Rate, PullListModel::TimeLeft, PullListModel::Files, PullListModel::State})
        m_tree->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);

    m_noSelection->setWordWrap(true);
    m_path->setReadOnly(true);
    m_path->setAccessibleName(tr("Where the model was published"));
    m_copyPath->setAccessibleName(tr("Copy the published path to the clipboard"));
    auto *pathLayout = new QHBoxLayout(m_pathRow);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    pathLayout->addWidget(m_path, 1);
    pathLayout->addWidget(m_copyPath);
    setTextColour(m_error, Colours::bad());
    m_detail->addRow(m_noSelection);
    m_detail->addRow(tr("Source:"), m_source);
    m_detail->addRow(tr("Revision:"), m_revision);
    m_detail->addRow(tr("State:"), m_state);
    m_detail->addRow(tr("Verified:"), m_verified);
    m_detail->addRow(tr("Published at:"), m_pathRow);
    m_detail->addRow(tr("Problem:"), m_error);
    m_detailBox->setLayout(m_detail);

    m_cancel->setAccessibleName(tr("Cancel the selected pull"));
    m_cancel->setToolTip(tr("The files downloaded so far are kept, so the pull can be resumed."));
    m_resume->setAccessibleName(tr("Resume the selected pull"));
    m_resume->setToolTip(tr("Continues where the pull stopped; nothing is downloaded twice."));
    m_remove->setAccessibleName(tr("Remove the selected pull"));
    m_remove->setToolTip(tr("Removes an ended pull from the list and deletes its partly downloaded files."));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_result->setAccessibleName(tr("Result of the last action"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_pull);
    top->addWidget(m_unavailable, 1);
    top->addWidget(m_free);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_cancel);
    actions->addWidget(m_resume);
    actions->addWidget(m_remove);
    actions->addWidget(m_result, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_detailBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    layout->addLayout(actions);

    // The same actions on the list itself: its context menu, and Delete for Remove.
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    const auto treeAction = [this](const QString &text, void (ModelsPage::*slot)()) {
        auto *action = new QAction(text, m_tree);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_tree->addAction(action);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_cancelAction = treeAction(tr("Cancel pull"), &ModelsPage::cancelSelected);
    m_resumeAction = treeAction(tr("Resume"), &ModelsPage::resumeSelected);
    m_removeAction = treeAction(tr("Remove…"), &ModelsPage::removeSelected);
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_copyPathAction = treeAction(tr("Copy path"), &ModelsPage::copyPublishedPath);

    connect(m_pull, &QPushButton::clicked, this, &ModelsPage::openPullDialog);
    connect(m_cancel, &QPushButton::clicked, this, &ModelsPage::cancelSelected);
    connect(m_resume, &QPushButton::clicked, this, &ModelsPage::resumeSelected);
    connect(m_remove, &QPushButton::clicked, this, &ModelsPage::removeSelected);
    connect(m_copyPath, &QPushButton::clicked, this, &ModelsPage::copyPublishedPath);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &ModelsPage::currentChanged);
    connect(m_tree, &QTreeView::expanded, this, [this](const QModelIndex &index) {
        // An expanded pull that is not the selected one: selected, so the details, the buttons
        // and the files fetched all speak of the same pull.
        if (const PullInfo *p = m_model->pullAt(index); p && p->id != selectedPullId())
            selectPull(p->id);
    });
    connect(m_link, &ServiceLink::pullsChanged, this, &ModelsPage::setPulls);
    connect(m_link, &ServiceLink::statusChanged, this, &ModelsPage::updateButtons);
    connect(m_link, &ServiceLink::statusChanged, this, &ModelsPage::updateFreeSpace);
    connect(m_link, &ServiceLink::linkStateChanged, this, &ModelsPage::updateButtons);
    connect(m_link, &ServiceLink::roleChanged, this, &ModelsPage::updateButtons);
    const QList<QWidget *> order{m_pull, m_tree,     m_source, m_revision, m_state,  m_verified,
                                 m_path, m_copyPath, m_error,  m_cancel,   m_resume, m_remove};
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));
    setPulls(m_link->pulls());
}

QString ModelsPage::unavailableText() const {
    return m_unavailable->text();
}

QString ModelsPage::freeSpaceText() const {
    return m_free->text();
}

QString ModelsPage::resultText() const {
    return m_result->text();
}

QString ModelsPage::detailStateText() const {
    return m_detail->isRowVisible(m_state) ? m_state->text() : QString();
}

QString ModelsPage::verificationText() const {
    return m_detail->isRowVisible(m_verified) ? m_verified->text() : QString();
}

QString ModelsPage::publishedPathText() const {
    return m_detail->isRowVisible(m_pathRow) ? m_path->text() : QString();
}

QString ModelsPage::errorText() const {
    return m_detail->isRowVisible(m_error) ? m_error->text() : QString();
}

const PullInfo *ModelsPage::selectedPull() const {
    return m_model->pullAt(m_tree->selectionModel()->currentIndex());
}

QString ModelsPage::selectedPullId() const {
    const PullInfo *p = selectedPull();
    return p ? p->id : QString();
}

bool ModelsPage::selectPull(const QString &id, bool expand) {
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, 0);
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(index);
    if (expand)
        m_tree->expand(index);
    return true;
}

PullDialog *ModelsPage::pullDialog() const {
    return m_dialog;
}

PullDialog *ModelsPage::openPullDialog() {
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return m_dialog;
    }
    auto *dialog = new PullDialog(m_link, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString name = dialog->startedPullName();
        showResult(true, tr("The service started pulling %1.").arg(name.isEmpty() ? dialog->startedPullId() : name));
        m_selectWhenListed = dialog->startedPullId();
        if (selectPull(m_selectWhenListed))
            m_selectWhenListed.clear();
    });
    m_dialog = dialog;
    dialog->open();
    return dialog;
}

void ModelsPage::setPulls(const QList<PullInfo> &pulls) {
    m_model->setPulls(pulls);
    if (!m_selectWhenListed.isEmpty() && selectPull(m_selectWhenListed))
        m_selectWhenListed.clear();
    // A reset of the model clears the selection without a currentChanged: keep the pull whose
    // files are fetched the selected one.
    const PullInfo *selected = selectedPull();
    m_link->setPullDetail(selected ? selected->id : QString());
    updateDetail();
    updateButtons();
    updateFreeSpace();
}

void ModelsPage::currentChanged() {
    const PullInfo *p = selectedPull();
    // Its files are then fetched with every poll, also once it has ended.
    m_link->setPullDetail(p ? p->id : QString());
    updateDetail();
    updateButtons();
}

void ModelsPage::updateDetail() {
    const PullInfo *p = selectedPull();
    m_noSelection->setVisible(!p);
    for (QWidget *row : {static_cast<QWidget *>(m_source), static_cast<QWidget *>(m_revision),
                         static_cast<QWidget *>(m_state), static_cast<QWidget *>(m_verified)})
        m_detail->setRowVisible(row, p != nullptr);
    if (!p) {
        m_detail->setRowVisible(m_pathRow, false);
        m_detail->setRowVisible(m_error, false);
        return;
    }
    m_source->setText(p->source);
    m_revision->setText(p->revision.isEmpty() ? tr("not resolved yet") : p->revision);
    const QString explanation = PullListModel::stateExplanation(p->state);
    const QString state = PullListModel::stateText(p->state);
    m_state->setText(explanation.isEmpty() ? state : tr("%1. %2").arg(state, explanation));
    setTextColour(m_state, PullListModel::stateColour(p->state));
    QString verified = PullListModel::verificationText(*p);
    if (p->running() && !p->currentFile.isEmpty())
        verified = tr("%1; now: %2").arg(verified, p->currentFile);
    m_verified->setText(verified);
    m_detail->setRowVisible(m_pathRow, !p->publishedPath.isEmpty());
    if (m_path->text() != p->publishedPath)
        m_path->setText(p->publishedPath);
    const QString error = PullListModel::errorText(*p);
    m_detail->setRowVisible(m_error, !error.isEmpty());
    m_error->setText(error);
}

void ModelsPage::updateButtons() {
    const QString reason = PullDialog::unavailableReason(m_link);
    m_unavailable->setText(reason);
    m_pull->setEnabled(reason.isEmpty());
    m_pull->setAccessibleDescription(reason);
    const bool admin = m_link->isAdmin() && m_link->linkState() == ServiceLink::LinkState::Connected;
    const PullInfo *p = selectedPull();
    m_cancel->setEnabled(admin && p && p->canCancel());
    m_resume->setEnabled(admin && p && p->canResume());
    m_remove->setEnabled(admin && p && !p->running());
    m_copyPath->setEnabled(p && !p->publishedPath.isEmpty());
    m_cancelAction->setEnabled(m_cancel->isEnabled());
    m_resumeAction->setEnabled(m_resume->isEnabled());
    m_removeAction->setEnabled(m_remove->isEnabled());
    m_copyPathAction->setEnabled(m_copyPath->isEnabled());
}

void ModelsPage::updateFreeSpace() {
    const qint64 free = m_link->pullFreeBytes();
    const QString destination = m_link->pullDestination();
    if (free < 0)
        m_free->setText(tr("Free space at the destination: unknown"));
    else if (destination.isEmpty())
        m_free->setText(tr("Free space at the destination: %1").arg(Format::bytes(free)));
    else
        m_free->setText(tr("Free space at %1: %2").arg(destination, Format::bytes(free)));
}

void ModelsPage::showResult(bool ok, const QString &text) {
    setTextColour(m_result, ok ? Colours::good() : Colours::bad());
    m_result->setText(text);
}

void ModelsPage::cancelSelected() {
    const PullInfo *p = selectedPull();
    if (!p || !m_cancel->isEnabled())
        return;
    const QString name = p->name;
    m_cancel->setEnabled(false);
    QPointer<ModelsPage> self(this);
    m_link->cancelPull(p->id, false, [self, name](const ServiceLink::Result &result) {
        if (!self)
            return;
        self->showResult(result.ok,
                         result.ok ? tr("Cancelled %1. The files downloaded so far are kept for a resume.").arg(name)
                                   : tr("The service refused: %1").arg(result.error));
        self->updateButtons();
    });
}

void ModelsPage::resumeSelected() {
    const PullInfo *p = selectedPull();
    if (!p || !m_resume->isEnabled())
        return;
    const QString name = p->name;
    m_resume->setEnabled(false);
    QPointer<ModelsPage> self(this);
    m_link->resumePull(p->id, [self, name](const ServiceLink::Result &result) {
        if (!self)
            return;
        self->showResult(result.ok,
                         result.ok ? tr("Resuming %1.").arg(name) : tr("The service refused: %1").arg(result.error));
        self->updateButtons();
    });
}

void ModelsPage::removeSelected() {
    const PullInfo *p = selectedPull();
    if (!p || !m_remove->isEnabled())
        return;
    const QString id = p->id;
    const QString name = p->name;
    const QString question =
        p->published() ? tr("Remove %1 from the list? The published model stays where it is.").arg(name)
                       : tr("Remove %1 from the list and delete the files downloaded so far? It cannot be resumed "
                            "afterwards.")
                             .arg(name);
    const QMessageBox::StandardButton answer = QMessageBox::question(
        this, tr("Remove the pull"), question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    // The question waited for the user; meanwhile the pull may have been resumed (by another
    // administrator), the role or the link may have changed. Removing deletes files: only what
    // was asked about, as it was.
    updateButtons();
    const PullInfo *now = selectedPull();
    if (!now || now->id != id || now->running() || !m_remove->isEnabled()) {
        showResult(false, tr("Not removed: %1 changed while you were asked.").arg(name));
        return;
    }
    m_remove->setEnabled(false);
    QPointer<ModelsPage> self(this);
    m_link->cancelPull(id, true, [self, name](const ServiceLink::Result &result) {
        if (!self)
            return;
        self->showResult(result.ok,
                         result.ok ? tr("Removed %1.").arg(name) : tr("The service refused: %1").arg(result.error));
        self->updateButtons();
    });
}

void ModelsPage::copyPublishedPath() {
    const PullInfo *p = selectedPull();
    if (!p || p->publishedPath.isEmpty())
        return;
    QApplication::clipboard()->setText(p->publishedPath);
    showResult(true, tr("Copied %1 to the clipboard.").arg(p->publishedPath));
}

} // namespace airlock::gui
