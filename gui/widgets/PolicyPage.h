#pragma once

#include <QWidget>

class QFormLayout;
class QLabel;
class QPushButton;

namespace airlock::gui {

class ServiceLink;

// The Policy tab: the limits and content rules in force, read only (they are changed in the
// policy file; an administrator can make the service reread it from here). Credential entries
// are shown by destination and header name only; their hashes are nobody's business here.
class PolicyPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PolicyPage)

public:
    explicit PolicyPage(ServiceLink *link, QWidget *parent = nullptr);
    QString valueText(const QString &key) const;

private:
    void refresh();
    QLabel *addRow(const QString &key, const QString &label);

    ServiceLink *m_link;
    QFormLayout *m_form;
    QLabel *m_problem;
    QLabel *m_result;
    QPushButton *m_reload;
    QHash<QString, QLabel *> m_values;
};

} // namespace airlock::gui
