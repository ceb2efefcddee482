#pragma once

#include "client/Messages.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;

namespace airlock::gui {

class PullDialog;
class PullListModel;
class ServiceLink;

// The Models tab: the model pulls the service runs, newest first, each with its progress and
// state and, expanded, its files; the selected pull's details (where it was published, how many
// files were verified, why it failed) and the actions that apply to it (Cancel, Resume, Remove).
// "Pull a model…" opens PullDialog. The service's answer to each action is shown as it is.
// Viewers see all of it with every action disabled.
class ModelsPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelsPage)

public:
    explicit ModelsPage(ServiceLink *link, QWidget *parent = nullptr);

    PullListModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QPushButton *pullButton() const { return m_pull; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *resumeButton() const { return m_resume; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *copyPathButton() const { return m_copyPath; }
    QString unavailableText() const; // why "Pull a model…" is disabled; empty when it is not
    QString freeSpaceText() const;
    QString resultText() const;
    // The selected pull's details as shown (empty when the row is hidden).
    QString detailStateText() const;
    QString verificationText() const;
    QString publishedPathText() const;
    QString errorText() const;

    QString selectedPullId() const;
    // Selects the pull's row (and shows its files when expand is true); false when it is not listed.
    bool selectPull(const QString &id, bool expand = false);
    // Opens "Pull a model" (window-modal, not blocking) and returns it; the one already open if any.
    PullDialog *openPullDialog();
    PullDialog *pullDialog() const;

    void cancelSelected();
    void resumeSelected();
    void removeSelected(); // asks for confirmation first
    void copyPublishedPath();

private:
    void setPulls(const QList<PullInfo> &pulls);
    void currentChanged();
    void updateDetail();
    void updateButtons();
    void updateFreeSpace();
    void showResult(bool ok, const QString &text);
    const PullInfo *selectedPull() const;

    ServiceLink *m_link;
    PullListModel *m_model;
    QTreeView *m_tree;
    QPushButton *m_pull;
    QLabel *m_unavailable;
    QLabel *m_free;
    QGroupBox *m_detailBox;
    QFormLayout *m_detail;
    QLabel *m_noSelection;
    QLabel *m_source;
    QLabel *m_revision;
    QLabel *m_state;
    QLabel *m_verified;
    QWidget *m_pathRow;
    QLineEdit *m_path;
    QPushButton *m_copyPath;
    QLabel *m_error;
    QPushButton *m_cancel;
    QPushButton *m_resume;
    QPushButton *m_remove;
    QLabel *m_result;
    QAction *m_cancelAction = nullptr;
    QAction *m_resumeAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_copyPathAction = nullptr;
    QPointer<PullDialog> m_dialog;
    QString m_selectWhenListed; // a pull just started here, selected once the list has it
};

} // namespace airlock::gui
