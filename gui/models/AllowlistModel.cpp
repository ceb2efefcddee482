#include "models/AllowlistModel.h"

#include "policy/AllowEntryParser.h"

#include <QFont>
#include <QJsonObject>
#include <QRegularExpression>

namespace airlock::gui {

namespace {

// The canonical texts of a checked via list (none stays none).
std::optional<QStringList> parseViaOrNone(const QStringList &via) {
    QString ignored;
    return via.isEmpty() ? std::optional<QStringList>(QStringList()) : parseViaList(via, &ignored);
}

} // namespace

AllowlistModel::AllowlistModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int AllowlistModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AllowlistModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AllowlistModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        if (index.column() == Entry)
            return row.text;
        if (index.column() == Via)
            return row.via.isEmpty() ? tr("direct") : row.via.join(QStringLiteral(", "));
        return row.methods.isEmpty() ? tr("policy default") : row.methods.join(QStringLiteral(", "));
    }
    if (role == Qt::FontRole &&
        ((index.column() == Methods && row.methods.isEmpty()) || (index.column() == Via && row.via.isEmpty()))) {
        QFont italic;
        italic.setItalic(true);
        return italic;
    }
    if (role == Qt::ToolTipRole && index.column() == Via) {
        return row.via.isEmpty() ? tr("Clients may ask for this destination directly")
                                 : tr("Reached only when %1 redirects a download here; a direct request is refused")
                                       .arg(row.via.join(QStringLiteral(", ")));
    }
    if (role == Qt::ToolTipRole && index.column() == Entry) {
        QString error;
        const std::optional<AllowEntry> entry = parseAllowEntry(row.text, &error);
        if (!entry)
            return error;
        switch (entry->kind) {
        case AllowEntry::Kind::Host:
            return tr("Exactly this host, HTTPS on port 443, any path");
        case AllowEntry::Kind::Wildcard:
            return tr("Any subdomain of %1 (not %1 itself), HTTPS on port 443").arg(entry->host);
        case AllowEntry::Kind::UrlPrefix:
            return tr("Host %1, port %2, paths under %3").arg(entry->host).arg(entry->port).arg(entry->pathPrefix);
        }
    }
    return {};
}

QVariant AllowlistModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Entry:
        return tr("Destination");
    case Methods:
        return tr("Methods");
    default:
        return tr("Only via");
    }
}

void AllowlistModel::load(const Policy &policy) {
    const bool before = isModified();
    beginResetModel();
    m_rows.clear();
    for (const AllowEntry &e : policy.allowedDestinations)
        m_rows.append(Row{e.text(), e.methods, e.via});
    m_original = m_rows;
    endResetModel();
    notifyModified(before);
}

void AllowlistModel::revert() {
    const bool before = isModified();
    beginResetModel();
    m_rows = m_original;
    endResetModel();
    notifyModified(before);
}

QStringList AllowlistModel::parseMethods(const QString &text, QString *error) {
    QStringList methods;
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString method = canonicalMethod(part);
        if (method.isEmpty()) {
            *error = tr("unknown method: %1").arg(part);
            return {};
        }
        if (!methods.contains(method))
            methods.append(method);
    }
    return methods;
}

QStringList AllowlistModel::parseVia(const QString &text, QString *error) {
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return {};
    const std::optional<QStringList> via = parseViaList(parts, error);
    return via ? *via : QStringList();
}

QString AllowlistModel::check(const QString &text, const QStringList &methods, const QStringList &via, int row) const {
    if (text.trimmed().isEmpty())
        return tr("Enter a host, *.domain or https:// URL prefix.");
    QString error;
    const std::optional<AllowEntry> entry = parseAllowEntry(text.trimmed(), &error);
    if (!entry)
        return error; // the shared validator's own words, as the service would say them
    for (const QString &m : methods)
        if (canonicalMethod(m).isEmpty())
            return tr("unknown method: %1").arg(m);
    if (!via.isEmpty() && !parseViaList(via, &error))
        return error;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (i == row)
            continue;
        QString ignored;
        const std::optional<AllowEntry> other = parseAllowEntry(m_rows.at(i).text, &ignored);
        if (other && other->text() == entry->text())
            return tr("%1 is already on the allowlist.").arg(entry->text());
    }
    return {};
}

bool AllowlistModel::addEntry(const QString &text, const QStringList &methods, const QStringList &via, QString *error) {
    *error = check(text, methods, via);
    if (!error->isEmpty())
        return false;
    QString ignored;
    const bool before = isModified();
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(Row{parseAllowEntry(text.trimmed(), &ignored)->text(), methods, *parseViaOrNone(via)});
    endInsertRows();
    notifyModified(before);
    return true;
}

bool AllowlistModel::updateEntry(int row, const QString &text, const QStringList &methods, const QStringList &via,
                                 QString *error) {
    if (row < 0 || row >= m_rows.size()) {
        *error = tr("No entry selected.");
        return false;
    }
    *error = check(text, methods, via, row);
    if (!error->isEmpty())
        return false;
    QString ignored;
    const bool before = isModified();
    m_rows[row] = Row{parseAllowEntry(text.trimmed(), &ignored)->text(), methods, *parseViaOrNone(via)};
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    notifyModified(before);
    return true;
}

void AllowlistModel::removeEntry(int row) {
    if (row < 0 || row >= m_rows.size())
        return;
    const bool before = isModified();
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    notifyModified(before);
}

QJsonArray AllowlistModel::toJson() const {
    QJsonArray array;
    for (const Row &row : m_rows) {
        if (row.methods.isEmpty() && row.via.isEmpty()) {
            array.append(row.text);
            continue;
        }
        QJsonObject entry{{QStringLiteral("host"), row.text}};
        if (!row.methods.isEmpty())
            entry.insert(QStringLiteral("methods"), QJsonArray::fromStringList(row.methods));
        if (!row.via.isEmpty())
            entry.insert(QStringLiteral("via"), QJsonArray::fromStringList(row.via));
        array.append(entry);
    }
    return array;
}

void AllowlistModel::notifyModified(bool before) {
    if (before != isModified())
        Q_EMIT modifiedChanged(isModified());
}

} // namespace airlock::gui
