#pragma once

#include "client/Messages.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace airlock::gui {

class ServiceLink;

// "Pull a model": a source checked as it is typed with the parser the service itself uses,
// include/exclude patterns for Hugging Face repos, Preview (the service's plan: revision, files,
// total, free space; nothing is downloaded) and Start. The service's refusals are shown in its
// own words and the dialog stays open; it closes when the service has started the pull.
class PullDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PullDialog)

public:
    explicit PullDialog(ServiceLink *link, QWidget *parent = nullptr);

    // Why no pull can be started right now (off, lockdown, not connected, viewer); empty when
    // one can. The Models page says the same next to its button.
    static QString unavailableReason(const ServiceLink *link);
    // "comma or space separated" patterns as a list.
    static QStringList splitPatterns(const QString &text);

    QLineEdit *sourceEdit() const { return m_source; }
    QLineEdit *includeEdit() const { return m_include; }
    QLineEdit *excludeEdit() const { return m_exclude; }
    QPushButton *previewButton() const { return m_preview; }
    QPushButton *startButton() const { return m_start; }
    QTableWidget *filesTable() const { return m_files; }
    QString validationText() const;
    QString unavailableText() const;
    QString messageText() const; // the last answer: the service's refusal, or what is under way
    QString revisionText() const;
    QString totalText() const;
    QString destinationText() const;
    QString freeSpaceText() const;
    bool busy() const { return m_busy; }
    // The id of the pull the service started (set just before the dialog closes).
    QString startedPullId() const { return m_startedId; }
    QString startedPullName() const { return m_startedName; }

    void preview();
    void start();

private:
    void inputsChanged();
    void validate();
    void updateButtons();
    void showMessage(bool ok, const QString &text);
    void showPlan(const PullPlan &plan);
    void clearPlan();
    void setBusy(bool busy);

    ServiceLink *m_link;
    QLineEdit *m_source;
    QLineEdit *m_include;
    QLineEdit *m_exclude;
    QLabel *m_validation;
    QLabel *m_unavailable;
    QLabel *m_revision;
    QTableWidget *m_files;
    QLabel *m_total;
    QLabel *m_destination;
    QLabel *m_free;
    QLabel *m_message;
    QPushButton *m_preview;
    QPushButton *m_start;
    QDialogButtonBox *m_buttons;
    bool m_valid = false;
    bool m_patternsApply = false; // the source is a whole Hugging Face repo
    bool m_busy = false;
    quint64 m_generation = 0; // bumped on each edit: an answer about older inputs is not shown
    QString m_startedId;
    QString m_startedName;
};

} // namespace airlock::gui
