#include "widgets/PullDialog.h"

#include "models/Colours.h"
#include "widgets/Labels.h"

#include "client/ServiceLink.h"
#include "models/Format.h"
#include "pullsource/PullSource.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

namespace airlock::gui {

PullDialog::PullDialog(ServiceLink *link, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_source(new QLineEdit(this))
    , m_include(new QLineEdit(this))
    , m_exclude(new QLineEdit(this))
    , m_validation(new QLabel(this))
    , m_unavailable(new QLabel(this))
    , m_revision(valueLabel(this, tr("Revision"), QStringLiteral("—")))
    , m_files(new QTableWidget(0, 2, this))
    , m_total(valueLabel(this, tr("Total"), QStringLiteral("—")))
    , m_destination(valueLabel(this, tr("Destination"), QStringLiteral("—")))
    , m_free(valueLabel(this, tr("Free space at the destination"), QStringLiteral("—")))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this)) {
    setWindowTitle(tr("Pull a model"));
    auto *explanation = new QLabel(tr("The Airlock downloads the model itself, checks every file against its "
                                      "digest and publishes it only when all of them are verified."),
                                   this);
    explanation->setWordWrap(true);

    m_source->setPlaceholderText(tr("hf:ORG/REPO[@REVISION], a Hugging Face resolve URL, or ollama:NAME[:TAG]"));
    m_source->setAccessibleName(tr("Model source"));
    m_source->setMaxLength(kMaxPullSourceLength);
    m_include->setPlaceholderText(tr("e.g. *.gguf config.json (empty: every file)"));
    m_include->setAccessibleName(tr("Include patterns"));
    m_exclude->setPlaceholderText(tr("e.g. *.bin, original/**"));
    m_exclude->setAccessibleName(tr("Exclude patterns"));
    for (QLineEdit *patterns : {m_include, m_exclude})
        patterns->setToolTip(tr("Comma or space separated; for Hugging Face repositories only. '*' matches within "
                                "a folder name, '**' across folders."));
    m_validation->setWordWrap(true);
    m_validation->setTextFormat(Qt::PlainText);
    m_validation->setAccessibleName(tr("Source check"));
    m_unavailable->setWordWrap(true);
    m_unavailable->setTextFormat(Qt::PlainText);
    m_unavailable->setAccessibleName(tr("Why no pull can be started"));
    setTextColour(m_unavailable, Colours::bad());
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_message->setAccessibleName(tr("The service's answer"));

    m_files->setHorizontalHeaderLabels({tr("File"), tr("Size")});
    m_files->setAccessibleName(tr("Files the pull would download"));
    m_files->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_files->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_files->setTabKeyNavigation(false);
    m_files->verticalHeader()->hide();
    m_files->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_files->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    m_preview = m_buttons->addButton(tr("Pre&view"), QDialogButtonBox::ActionRole);
    m_preview->setAccessibleName(tr("Ask the service what this pull would download"));
    m_preview->setToolTip(tr("Nothing is downloaded but the listing."));
    m_start = m_buttons->addButton(tr("&Start pull"), QDialogButtonBox::ActionRole);
    m_start->setAccessibleName(tr("Start the pull"));
    m_preview->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Source:"), m_source);
    form->addRow(QString(), m_validation);
    form->addRow(tr("&Include:"), m_include);
    form->addRow(tr("E&xclude:"), m_exclude);

    auto *plan = new QFormLayout;
    plan->addRow(tr("Revision:"), m_revision);
    plan->addRow(tr("Total:"), m_total);
    plan->addRow(tr("Destination:"), m_destination);
    plan->addRow(tr("Free space:"), m_free);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(m_unavailable);
    layout->addWidget(m_files, 1);
    layout->addLayout(plan);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    connect(m_source, &QLineEdit::textChanged, this, &PullDialog::inputsChanged);
    connect(m_include, &QLineEdit::textChanged, this, &PullDialog::inputsChanged);
    connect(m_exclude, &QLineEdit::textChanged, this, &PullDialog::inputsChanged);
    connect(m_preview, &QPushButton::clicked, this, &PullDialog::preview);
    connect(m_start, &QPushButton::clicked, this, &PullDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_link, &ServiceLink::statusChanged, this, &PullDialog::updateButtons);
    connect(m_link, &ServiceLink::linkStateChanged, this, &PullDialog::updateButtons);
    connect(m_link, &ServiceLink::roleChanged, this, &PullDialog::updateButtons);
    const QList<QWidget *> order{m_source,
                                 m_include,
                                 m_exclude,
                                 m_files,
                                 m_revision,
                                 m_total,
                                 m_destination,
                                 m_free,
                                 m_preview,
                                 m_start,
                                 m_buttons->button(QDialogButtonBox::Close)};
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));
    setMinimumWidth(640);
    clearPlan();
    validate();
}

QString PullDialog::unavailableReason(const ServiceLink *link) {
    if (link->linkState() != ServiceLink::LinkState::Connected)
        return tr("Not connected to the Airlock service.");
    if (!link->isAdmin())
        return tr("You are connected as a viewer: only administrators can pull models.");
    const std::optional<ServiceStatus> status = link->status();
    if (!status)
        return tr("Waiting for the service's state.");
    if (status->lockdown)
        return tr("The Airlock is in lockdown: nothing can be pulled until it is unlocked.");
    if (!status->enabled)
        return tr("The Airlock is off: switch it on to pull a model.");
    return {};
}

QStringList PullDialog::splitPatterns(const QString &text) {
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

QString PullDialog::validationText() const {
    return m_validation->text();
}

QString PullDialog::unavailableText() const {
    return m_unavailable->isHidden() ? QString() : m_unavailable->text();
}

QString PullDialog::messageText() const {
    return m_message->text();
}

QString PullDialog::revisionText() const {
    return m_revision->text();
}

QString PullDialog::totalText() const {
    return m_total->text();
}

QString PullDialog::destinationText() const {
    return m_destination->text();
}

QString PullDialog::freeSpaceText() const {
    return m_free->text();
}

void PullDialog::inputsChanged() {
    // A plan is about the inputs it was asked for: any edit makes it stale.
    ++m_generation;
    clearPlan();
    showMessage(true, QString());
    validate();
}

void PullDialog::validate() {
    const QString text = m_source->text().trimmed();
    QString error;
    const std::optional<PullSource> source = text.isEmpty() ? std::nullopt : parsePullSource(text, &error);
    m_patternsApply = source && source->kind == PullSource::Kind::HuggingFaceRepo;
    m_include->setEnabled(m_patternsApply);
    m_exclude->setEnabled(m_patternsApply);
    if (m_patternsApply) {
        const QStringList patterns = splitPatterns(m_include->text()) + splitPatterns(m_exclude->text());
        for (const QString &pattern : patterns) {
            QString patternError;
            if (!isValidPullGlob(pattern, &patternError)) {
                error = tr("pattern \"%1\": %2").arg(pattern, patternError);
                break;
            }
        }
    }
    m_valid = source.has_value() && error.isEmpty();
    if (text.isEmpty()) {
        m_validation->setText(tr("Type a source: hf:ORG/REPO, a Hugging Face resolve URL or ollama:NAME."));
        setTextColour(m_validation, palette().color(QPalette::WindowText));
    } else {
        // Words first, colour second: "Valid" / "Not valid" carries the meaning.
        m_validation->setText(m_valid ? tr("Valid source.") : tr("Not valid: %1").arg(error));
        setTextColour(m_validation, m_valid ? Colours::good() : Colours::bad());
    }
    m_source->setAccessibleDescription(m_validation->text());
    updateButtons();
}

void PullDialog::updateButtons() {
    const QString reason = unavailableReason(m_link);
    m_unavailable->setText(reason);
    m_unavailable->setVisible(!reason.isEmpty());
    const bool can = m_valid && !m_busy && reason.isEmpty();
    m_preview->setEnabled(can);
    m_start->setEnabled(can);
}

void PullDialog::setBusy(bool busy) {
    m_busy = busy;
    updateButtons();
}

void PullDialog::showMessage(bool ok, const QString &text) {
    setTextColour(m_message, ok ? palette().color(QPalette::WindowText) : Colours::bad());
    m_message->setText(text);
}

void PullDialog::clearPlan() {
    m_files->setRowCount(0);
    m_revision->setText(tr("Preview shows what the pull would download."));
    m_total->setText(QStringLiteral("—"));
    const QString destination = m_link->pullDestination();
    m_destination->setText(destination.isEmpty() ? QStringLiteral("—") : destination);
    const qint64 free = m_link->pullFreeBytes();
    m_free->setText(free < 0 ? QStringLiteral("—") : Format::bytes(free));
    setTextColour(m_free, palette().color(QPalette::WindowText));
    m_preview->setDefault(true);
}

void PullDialog::showPlan(const PullPlan &plan) {
    m_revision->setText(plan.revision.isEmpty() ? tr("unknown") : plan.revision);
    m_files->setRowCount(int(plan.files.size()));
    for (int row = 0; row < plan.files.size(); ++row) {
        const PullFileInfo &f = plan.files.at(row);
        auto *path = new QTableWidgetItem(f.path);
        if (!f.digest.isEmpty())
            path->setToolTip(tr("%1 %2").arg(f.digestKind, f.digest));
        auto *size = new QTableWidgetItem(Format::bytes(f.size));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_files->setItem(row, 0, path);
        m_files->setItem(row, 1, size);
    }
    m_total->setText(plan.files.size() == 1
                         ? tr("1 file, %1").arg(Format::bytes(plan.totalBytes))
                         : tr("%1 files, %2").arg(plan.files.size()).arg(Format::bytes(plan.totalBytes)));
    if (!plan.destination.isEmpty())
        m_destination->setText(plan.destination);
    const bool tooSmall = plan.freeBytes >= 0 && plan.totalBytes > plan.freeBytes;
    if (plan.freeBytes < 0)
        m_free->setText(tr("unknown"));
    else if (tooSmall)
        m_free->setText(tr("%1, less than the %2 this model needs.")
                            .arg(Format::bytes(plan.freeBytes), Format::bytes(plan.totalBytes)));
    else
        m_free->setText(Format::bytes(plan.freeBytes));
    setTextColour(m_free, tooSmall ? Colours::bad() : palette().color(QPalette::WindowText));
    m_start->setDefault(true); // the plan is what the user wanted to see: Enter now starts it
}

void PullDialog::preview() {
    if (!m_preview->isEnabled())
        return;
    setBusy(true);
    showMessage(true, tr("Asking the service for the plan…"));
    const quint64 generation = m_generation;
    QPointer<PullDialog> self(this);
    const QStringList include = m_patternsApply ? splitPatterns(m_include->text()) : QStringList();
    const QStringList exclude = m_patternsApply ? splitPatterns(m_exclude->text()) : QStringList();
    m_link->startPull(m_source->text().trimmed(), include, exclude, true,
                      [self, generation](const ServiceLink::Result &result, const QJsonObject &answer) {
                          if (!self)
                              return;
                          self->setBusy(false);
                          if (generation != self->m_generation)
                              return; // edited meanwhile: this plan is not for what is typed now
                          if (!result.ok) {
                              self->showMessage(false, tr("The service refused: %1").arg(result.error));
                              return;
                          }
                          self->showPlan(PullPlan::fromJson(answer));
                          self->showMessage(true, QString());
                      });
}

void PullDialog::start() {
    if (!m_start->isEnabled())
        return;
    setBusy(true);
    showMessage(true, tr("Starting the pull…"));
    QPointer<PullDialog> self(this);
    const QStringList include = m_patternsApply ? splitPatterns(m_include->text()) : QStringList();
    const QStringList exclude = m_patternsApply ? splitPatterns(m_exclude->text()) : QStringList();
    m_link->startPull(m_source->text().trimmed(), include, exclude, false,
                      [self](const ServiceLink::Result &result, const QJsonObject &answer) {
                          if (!self)
                              return;
                          self->setBusy(false);
                          if (!result.ok) {
                              // The dialog stays, with what was typed, for another try.
                              self->showMessage(false, tr("The service refused: %1").arg(result.error));
                              return;
                          }
                          self->m_startedId = answer.value(QLatin1String("id")).toString();
                          self->m_startedName = answer.value(QLatin1String("name")).toString();
                          self->accept();
                      });
}

} // namespace airlock::gui
