#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace airlock::gui {

class ActivityModel;
class ActivityFilter;
class DailyCounters;

// The Activity tab: the live decision table with its filters (decision, host, free text), the
// day's counters, pause and resume, and copying a row (button, context menu or Ctrl+C).
class ActivityPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActivityPage)

public:
    ActivityPage(ActivityModel *model, DailyCounters *counters, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    ActivityFilter *filter() const { return m_filter; }
    QComboBox *decisionBox() const { return m_decision; }
    QLineEdit *hostEdit() const { return m_host; }
    QLineEdit *textEdit() const { return m_text; }
    QPushButton *pauseButton() const { return m_pause; }
    QString countersText() const;
    // Copies the current row to the clipboard; false when no row is selected.
    bool copyCurrentRow();

private:
    void updateCounters();
    void updatePause();

    ActivityModel *m_model;
    DailyCounters *m_counters;
    ActivityFilter *m_filter;
    QComboBox *m_decision;
    QLineEdit *m_host;
    QLineEdit *m_text;
    QPushButton *m_pause;
    QPushButton *m_copy;
    QLabel *m_countersLabel;
    QLabel *m_shown;
    QTableView *m_table;
};

} // namespace airlock::gui
