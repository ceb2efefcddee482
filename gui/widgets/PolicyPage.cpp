#include "widgets/PolicyPage.h"

#include "client/ServiceLink.h"
#include "models/Format.h"
#include "widgets/Labels.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace airlock::gui {

PolicyPage::PolicyPage(ServiceLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_form(new QFormLayout)
    , m_problem(new QLabel(this))
    , m_result(new QLabel(this))
    , m_reload(new QPushButton(tr("Re&load policy file"), this)) {
    m_reload->setAccessibleName(tr("Make the service reread its policy file"));
    m_reload->setToolTip(tr("An invalid file is refused and the policy in force stays."));
    m_problem->setWordWrap(true);
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);

    addRow(QStringLiteral("file"), tr("Policy file:"));
    addRow(QStringLiteral("methods"), tr("Allowed methods:"));
    addRow(QStringLiteral("destinations"), tr("Allowlist entries:"));
    addRow(QStringLiteral("body"), tr("Largest request body:"));
    addRow(QStringLiteral("response"), tr("Largest response:"));
    addRow(QStringLiteral("rate"), tr("Rate limit:"));
    addRow(QStringLiteral("egress"), tr("Egress budget:"));
    addRow(QStringLiteral("egressUse"), tr("Sent in the last hour:"));
    addRow(QStringLiteral("pii"), tr("Scan for personal data:"));
    addRow(QStringLiteral("credentials"), tr("Scan for credentials:"));
    addRow(QStringLiteral("literals"), tr("Refused literals:"));
    addRow(QStringLiteral("patterns"), tr("Custom patterns:"));
    addRow(QStringLiteral("credentialAllow"), tr("Allowed credentials:"));
    addRow(QStringLiteral("adminGroup"), tr("Administrators' group:"));
    addRow(QStringLiteral("viewerGroup"), tr("Viewers' group:"));
    addRow(QStringLiteral("audit"), tr("Audit log:"));

    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(m_problem);
    contentLayout->addLayout(m_form);
    contentLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_result, 1);
    buttons->addWidget(m_reload);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);

    connect(m_link, &ServiceLink::policyChanged, this, &PolicyPage::refresh);
    connect(m_link, &ServiceLink::statusChanged, this, &PolicyPage::refresh);
    connect(m_link, &ServiceLink::roleChanged, this, &PolicyPage::refresh);
    connect(m_link, &ServiceLink::linkStateChanged, this, &PolicyPage::refresh);
    connect(m_reload, &QPushButton::clicked, this, [this] {
        m_reload->setEnabled(false);
        m_link->reload([this](const ServiceLink::Result &result) {
            m_result->setText(result.ok ? tr("The service reread its policy file.")
                                        : tr("The service refused the reload: %1").arg(result.error));
            refresh();
        });
    });
    refresh();
}

QLabel *PolicyPage::addRow(const QString &key, const QString &label) {
    QLabel *value = valueLabel(this, label);
    m_form->addRow(label, value);
    m_values.insert(key, value);
    return value;
}

QString PolicyPage::valueText(const QString &key) const {
    QLabel *label = m_values.value(key);
    return label ? label->text() : QString();
}

void PolicyPage::refresh() {
    const bool connected = m_link->linkState() == ServiceLink::LinkState::Connected;
    m_reload->setVisible(m_link->isAdmin());
    m_reload->setEnabled(connected && m_link->isAdmin());
    const std::optional<Policy> policy = m_link->policy();
    m_problem->setVisible(!policy.has_value());
    m_problem->setText(m_link->policyProblem().isEmpty()
                           ? tr("The policy has not been received from the service yet.")
                           : tr("The policy could not be read: %1").arg(m_link->policyProblem()));
    const auto yesNo = [](bool b) {
        return b ? tr("yes") : tr("no");
    };
    const auto set = [this](const char *key, const QString &text) {
        m_values.value(QLatin1String(key))->setText(text);
    };
    const std::optional<ServiceStatus> status = m_link->status();
    set("file", status && !status->policyPath.isEmpty() ? status->policyPath : tr("unknown"));
    // What each destination had of its budget in the last hour, as the service counts it.
    QStringList use;
    if (status) {
        for (const auto &[host, bytes] : status->egressLastHour) {
            if (status->egressBudgetPerHour > 0)
                use.append(tr("%1: %2 of %3 (%4 %)")
                               .arg(host, Format::bytes(bytes), Format::bytes(status->egressBudgetPerHour))
                               .arg(qMin<qint64>(100, bytes * 100 / status->egressBudgetPerHour)));
            else
                use.append(tr("%1: %2").arg(host, Format::bytes(bytes)));
        }
    }
    set("egressUse", !status ? tr("unknown") : use.isEmpty() ? tr("nothing") : use.join(QLatin1Char('\n')));
    if (!policy) {
        for (QLabel *value : std::as_const(m_values))
            if (value != m_values.value(QStringLiteral("file")))
                value->setText(QStringLiteral("—"));
        return;
    }
    set("methods", policy->allowedMethods.join(QStringLiteral(", ")));
    set("destinations",
        tr("%n entry(ies), edited on the Allowlist tab", nullptr, int(policy->allowedDestinations.size())));
    set("body", Format::bytes(policy->maxBodySize));
    set("response", policy->maxResponseSize > 0 ? Format::bytes(policy->maxResponseSize) : tr("unlimited"));
    set("rate", tr("%n request(s) per minute", nullptr, policy->requestsPerMinute));
    set("egress",
        tr("%1 per destination host per hour (URL, headers and body)").arg(Format::bytes(policy->uploadBytesPerHour)));
    set("audit", policy->audit.maxFileBytes > 0
                     ? tr("rotated at %1, %n older file(s) kept", nullptr, policy->audit.keepFiles)
                           .arg(Format::bytes(policy->audit.maxFileBytes))
                     : tr("never rotated"));
    set("pii", yesNo(policy->contentRules.scanForPii));
    set("credentials", yesNo(policy->contentRules.scanForCredentials));
    set("literals", policy->contentRules.blockIfContains.isEmpty()
                        ? tr("none")
                        : policy->contentRules.blockIfContains.join(QStringLiteral(", ")));
    QStringList patterns;
    for (const CustomPattern &p : policy->contentRules.customPatterns)
        patterns.append(tr("%1 (%2)").arg(p.id, p.kind));
    set("patterns", patterns.isEmpty() ? tr("none") : patterns.join(QStringLiteral(", ")));
    QStringList credentials;
    for (const CredentialAllowEntry &c : policy->credentialAllowlist)
        credentials.append(tr("%1 to %2").arg(c.header, c.destination));
    set("credentialAllow", credentials.isEmpty() ? tr("none") : credentials.join(QStringLiteral(", ")));
    set("adminGroup", policy->admin.group);
    set("viewerGroup", policy->admin.viewerGroup.isEmpty() ? tr("none") : policy->admin.viewerGroup);
}

} // namespace airlock::gui
