#pragma once

#include "policy/Policy.h"

#include <QAbstractTableModel>
#include <QJsonArray>

namespace airlock::gui {

// The allowlist being edited: the entries in force, changed locally (add, edit, remove) until
// Apply sends them all in one allow_replace. Each entry is checked with parseAllowEntry, the
// validator the service itself uses, so what the editor accepts the service parses the same way
// (the service may still refuse for reasons of its own, and says so).
class AllowlistModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AllowlistModel)

public:
    enum Column { Entry, Methods, Via, ColumnCount };

    struct Row {
        QString text;
        QStringList methods; // empty: the policy's allowed_methods
        QStringList via;     // empty: may be asked for directly; else only through redirects from these
        bool operator==(const Row &) const = default;
    };

    explicit AllowlistModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces everything with the policy's entries; the result is the new unchanged state.
    void load(const Policy &policy);
    QList<Row> rows() const { return m_rows; }
    bool isModified() const { return m_rows != m_original; }
    void revert();

    // Empty when the entry may be added at `row` (-1: as a new entry), else why not.
    QString check(const QString &text, const QStringList &methods, const QStringList &via, int row = -1) const;
    bool addEntry(const QString &text, const QStringList &methods, const QStringList &via, QString *error);
    bool updateEntry(int row, const QString &text, const QStringList &methods, const QStringList &via, QString *error);
    void removeEntry(int row);

    // The argument of allow_replace: plain text, or {host, methods, via} where an entry has them.
    QJsonArray toJson() const;

    // "GET, HEAD" → {"GET","HEAD"}; empty on a method the validator refuses, with *error set.
    static QStringList parseMethods(const QString &text, QString *error);
    // "huggingface.co, *.huggingface.co" → their canonical texts (the service's validator);
    // empty text: none. On an invalid origin, empty with *error set.
    static QStringList parseVia(const QString &text, QString *error);

Q_SIGNALS:
    void modifiedChanged(bool modified);

private:
    void notifyModified(bool before);

    QList<Row> m_rows;
    QList<Row> m_original;
};

} // namespace airlock::gui
