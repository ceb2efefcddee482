#include "widgets/LockdownDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace airlock::gui {

LockdownDialog::LockdownDialog(QWidget *parent)
    : QDialog(parent)
    , m_reason(new QLineEdit(this)) {
    setWindowTitle(tr("Lock down the Airlock"));
    auto *explanation = new QLabel(tr("A lockdown refuses every request at once, whatever else is set, and stays "
                                      "in force across restarts until an administrator unlocks the Airlock."),
                                   this);
    explanation->setWordWrap(true);
    m_reason->setPlaceholderText(tr("e.g. suspicious traffic, incident 42"));
    m_reason->setAccessibleName(tr("Reason for the lockdown"));
    m_reason->setMaxLength(500);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(tr("&Lock down"), QDialogButtonBox::AcceptRole);
    m_confirm->setAccessibleName(tr("Confirm the lockdown"));
    m_confirm->setEnabled(false);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Reason:"), m_reason);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(m_reason, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_confirm->setEnabled(!text.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(480);
}

QString LockdownDialog::reason() const {
    return m_reason->text().trimmed();
}

} // namespace airlock::gui
