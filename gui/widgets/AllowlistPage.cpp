#include "widgets/AllowlistPage.h"

#include "client/ServiceLink.h"
#include "models/AllowlistModel.h"
#include "models/Colours.h"
#include "policy/AllowEntryParser.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace airlock::gui {

AllowlistPage::AllowlistPage(ServiceLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_model(new AllowlistModel(this))
    , m_table(new QTableView(this))
    , m_entry(new QLineEdit(this))
    , m_methods(new QLineEdit(this))
    , m_via(new QLineEdit(this))
    , m_validation(new QLabel(this))
    , m_readOnly(new QLabel(this))
    , m_result(new QLabel(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_replace(new QPushButton(tr("Re&place selected"), this))
    , m_remove(new QPushButton(tr("Re&move selected"), this))
    , m_revert(new QPushButton(tr("Re&vert"), this))
    , m_apply(new QPushButton(tr("A&pply"), this)) {
    m_table->setModel(m_model);
    m_table->setAccessibleName(tr("Allowlist entries"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(AllowlistModel::Entry, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(AllowlistModel::Methods, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(AllowlistModel::Via, QHeaderView::ResizeToContents);

    m_entry->setPlaceholderText(tr("huggingface.co, *.hf.co or https://registry.ollama.ai/v2/"));
    m_entry->setAccessibleName(tr("Allowlist entry"));
    m_methods->setPlaceholderText(tr("empty: the policy's methods; or e.g. GET, HEAD"));
    m_methods->setAccessibleName(tr("Methods for this entry"));
    m_via->setPlaceholderText(tr("empty: clients may ask for it directly; or e.g. huggingface.co"));
    m_via->setAccessibleName(tr("Origins whose redirects alone lead to this entry"));
    m_via->setToolTip(tr("For shared storage and CDN hosts: reached only when one of these origins redirects a "
                         "download there, so no client can send data straight to a bucket."));
    m_validation->setWordWrap(true);
    m_validation->setTextFormat(Qt::PlainText);
    m_validation->setAccessibleName(tr("Entry check"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_result->setAccessibleName(tr("Result of the last change"));
    m_readOnly->setText(tr("You are connected as a viewer: the allowlist is read only."));
    m_readOnly->setWordWrap(true);
    m_add->setAccessibleName(tr("Add the entry to the list"));
    m_replace->setAccessibleName(tr("Replace the selected entry with the one typed"));
    m_remove->setAccessibleName(tr("Remove the selected entry"));
    m_revert->setAccessibleName(tr("Discard the changes not yet applied"));
    m_apply->setAccessibleName(tr("Apply the changed allowlist to the service"));
    m_apply->setToolTip(tr("Sends the whole list as one change; the service validates and saves it."));

    auto *form = new QFormLayout;
    form->addRow(tr("&Entry:"), m_entry);
    form->addRow(tr("&Methods:"), m_methods);
    form->addRow(tr("Only v&ia:"), m_via);
    form->addRow(QString(), m_validation);

    auto *edit = new QHBoxLayout;
    edit->addWidget(m_add);
    edit->addWidget(m_replace);
    edit->addWidget(m_remove);
    edit->addStretch(1);
    edit->addWidget(m_revert);
    edit->addWidget(m_apply);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_readOnly);
    layout->addWidget(m_table, 1);
    layout->addLayout(form);
    layout->addLayout(edit);
    layout->addWidget(m_result);

    connect(m_entry, &QLineEdit::textChanged, this, &AllowlistPage::validate);
    connect(m_methods, &QLineEdit::textChanged, this, &AllowlistPage::validate);
    connect(m_via, &QLineEdit::textChanged, this, &AllowlistPage::validate);
    connect(m_entry, &QLineEdit::returnPressed, this, &AllowlistPage::add);
    connect(m_add, &QPushButton::clicked, this, &AllowlistPage::add);
    connect(m_replace, &QPushButton::clicked, this, &AllowlistPage::replaceSelected);
    connect(m_remove, &QPushButton::clicked, this, &AllowlistPage::removeSelected);
    connect(m_revert, &QPushButton::clicked, this, [this] {
        m_model->revert();
        showResult(true, QString());
    });
    connect(m_apply, &QPushButton::clicked, this, &AllowlistPage::apply);
    connect(m_model, &AllowlistModel::modifiedChanged, this, &AllowlistPage::updateButtons);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AllowlistPage::selectionChanged);
    connect(m_link, &ServiceLink::policyChanged, this, &AllowlistPage::reloadFromService);
    connect(m_link, &ServiceLink::roleChanged, this, &AllowlistPage::updateButtons);
    connect(m_link, &ServiceLink::linkStateChanged, this, &AllowlistPage::updateButtons);
    setTabOrder(m_table, m_entry);
    setTabOrder(m_entry, m_methods);
    setTabOrder(m_methods, m_via);
    setTabOrder(m_via, m_add);
    setTabOrder(m_add, m_replace);
    setTabOrder(m_replace, m_remove);
    setTabOrder(m_remove, m_revert);
    setTabOrder(m_revert, m_apply);
    reloadFromService();
    validate();
}

QString AllowlistPage::validationText() const {
    return m_validation->text();
}

QString AllowlistPage::resultText() const {
    return m_result->text();
}

void AllowlistPage::reloadFromService() {
    // Someone else's change (airlockctl, a reload) replaces the list, but never under unapplied edits.
    if (m_model->isModified())
        return;
    if (const std::optional<Policy> policy = m_link->policy())
        m_model->load(*policy);
    updateButtons();
}

int AllowlistPage::selectedRow() const {
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void AllowlistPage::selectionChanged() {
    const int row = selectedRow();
    if (row >= 0) {
        const AllowlistModel::Row r = m_model->rows().at(row);
        m_entry->setText(r.text);
        m_methods->setText(r.methods.join(QStringLiteral(", ")));
        m_via->setText(r.via.join(QStringLiteral(", ")));
    }
    updateButtons();
}

void AllowlistPage::validate() {
    QString error;
    const QStringList methods = AllowlistModel::parseMethods(m_methods->text(), &error);
    const QStringList via = error.isEmpty() ? AllowlistModel::parseVia(m_via->text(), &error) : QStringList();
    if (error.isEmpty()) {
        // Editing the selected entry in place must not count it as its own duplicate.
        const int row = selectedRow();
        const bool same = row >= 0 && m_model->rows().at(row).text == m_entry->text().trimmed();
        error = m_model->check(m_entry->text(), methods, via, same ? row : -1);
    }
    m_entryValid = error.isEmpty();
    QPalette p = m_validation->palette();
    p.setColor(QPalette::WindowText, m_entryValid ? Colours::good() : Colours::bad());
    m_validation->setPalette(p);
    // Words first, colour second: "Valid" / "Not valid" carries the meaning.
    m_validation->setText(m_entryValid ? tr("Valid entry.") : tr("Not valid: %1").arg(error));
    m_entry->setAccessibleDescription(m_validation->text());
    updateButtons();
}

void AllowlistPage::updateButtons() {
    const bool admin = m_link->isAdmin() && m_link->linkState() == ServiceLink::LinkState::Connected;
    const bool editable = admin && !m_applying;
    m_readOnly->setVisible(!m_link->isAdmin() && !m_link->role().isEmpty());
    m_entry->setReadOnly(!editable);
    m_methods->setReadOnly(!editable);
    m_via->setReadOnly(!editable);
    m_add->setEnabled(editable && m_entryValid);
    m_replace->setEnabled(editable && m_entryValid && selectedRow() >= 0);
    m_remove->setEnabled(editable && selectedRow() >= 0);
    m_revert->setEnabled(editable && m_model->isModified());
    m_apply->setEnabled(editable && m_model->isModified());
    for (QWidget *w :
         {static_cast<QWidget *>(m_add), static_cast<QWidget *>(m_replace), static_cast<QWidget *>(m_remove),
          static_cast<QWidget *>(m_revert), static_cast<QWidget *>(m_apply)})
        w->setVisible(m_link->isAdmin());
}

void AllowlistPage::showResult(bool ok, const QString &text) {
    QPalette p = m_result->palette();
    p.setColor(QPalette::WindowText, ok ? Colours::good() : Colours::bad());
    m_result->setPalette(p);
    m_result->setText(text);
}

void AllowlistPage::add() {
    QString error;
    const QStringList methods = AllowlistModel::parseMethods(m_methods->text(), &error);
    const QStringList via = error.isEmpty() ? AllowlistModel::parseVia(m_via->text(), &error) : QStringList();
    if (error.isEmpty() && m_model->addEntry(m_entry->text(), methods, via, &error)) {
        m_table->selectRow(m_model->rowCount() - 1);
        showResult(true, tr("Added locally. Apply sends the list to the service."));
        return;
    }
    showResult(false, error);
}

void AllowlistPage::replaceSelected() {
    QString error;
    const QStringList methods = AllowlistModel::parseMethods(m_methods->text(), &error);
    const QStringList via = error.isEmpty() ? AllowlistModel::parseVia(m_via->text(), &error) : QStringList();
    if (error.isEmpty() && m_model->updateEntry(selectedRow(), m_entry->text(), methods, via, &error)) {
        showResult(true, tr("Changed locally. Apply sends the list to the service."));
        return;
    }
    showResult(false, error);
}

void AllowlistPage::removeSelected() {
    const int row = selectedRow();
    if (row < 0)
        return;
    m_model->removeEntry(row);
    showResult(true, tr("Removed locally. Apply sends the list to the service."));
}

void AllowlistPage::apply() {
    m_applying = true;
    updateButtons();
    showResult(true, tr("Applying…"));
    m_link->replaceAllowlist(m_model->toJson(), [this](const ServiceLink::Result &result) {
        m_applying = false;
        if (result.ok) {
            // The policy in force is now what we sent: make it the unchanged state.
            const QList<AllowlistModel::Row> sent = m_model->rows();
            Policy applied;
            for (const AllowlistModel::Row &row : sent) {
                AllowEntry entry;
                QString ignored;
                if (const std::optional<AllowEntry> parsed = parseAllowEntry(row.text, &ignored))
                    entry = *parsed;
                entry.methods = row.methods;
                entry.via = row.via;
                applied.allowedDestinations.append(entry);
            }
            m_model->load(applied);
            showResult(true, tr("Applied. The service saved the new allowlist."));
        } else {
            // The service's words, unchanged: they name the entry and the problem.
            showResult(false, tr("The service refused the change: %1").arg(result.error));
        }
        updateButtons();
    });
}

} // namespace airlock::gui
