#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace airlock::gui {

class AllowlistModel;
class ServiceLink;

// The Allowlist tab: the entries in force, an editor that checks an entry as it is typed (with
// the service's own validator), Add / Replace / Remove on the local copy, Revert, and Apply,
// which sends the whole list as one atomic change and shows the service's answer as it is.
// Viewers see the list and nothing to change it with.
class AllowlistPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AllowlistPage)

public:
    AllowlistPage(ServiceLink *link, QWidget *parent = nullptr);

    AllowlistModel *model() const { return m_model; }
    QLineEdit *entryEdit() const { return m_entry; }
    QLineEdit *methodsEdit() const { return m_methods; }
    QLineEdit *viaEdit() const { return m_via; }
    QTableView *table() const { return m_table; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *replaceButton() const { return m_replace; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *revertButton() const { return m_revert; }
    QString validationText() const;
    QString resultText() const;

private:
    void reloadFromService();
    void validate();
    void updateButtons();
    void showResult(bool ok, const QString &text);
    void add();
    void replaceSelected();
    void removeSelected();
    void apply();
    void selectionChanged();
    int selectedRow() const;

    ServiceLink *m_link;
    AllowlistModel *m_model;
    QTableView *m_table;
    QLineEdit *m_entry;
    QLineEdit *m_methods;
    QLineEdit *m_via;
    QLabel *m_validation;
    QLabel *m_readOnly;
    QLabel *m_result;
    QPushButton *m_add;
    QPushButton *m_replace;
    QPushButton *m_remove;
    QPushButton *m_revert;
    QPushButton *m_apply;
    bool m_applying = false;
    bool m_entryValid = false;
};

} // namespace airlock::gui
