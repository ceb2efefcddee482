#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace airlock {

// Header fields as received or to be sent: names as spelled, in order, repeats kept. The one
// definition every layer shares (HTTP server, Gate, inspection, upstream).
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// First value of a field, by case-insensitive name; empty if absent.
QByteArray headerValue(const HeaderList &headers, QByteArrayView name);
bool hasHeader(const HeaderList &headers, QByteArrayView name);
int headerCount(const HeaderList &headers, QByteArrayView name);

} // namespace airlock
