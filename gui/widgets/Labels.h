#pragma once

#include <QColor>
#include <QString>

class QLabel;
class QWidget;

namespace airlock::gui {

// A read-only value on a page or dialog: plain text, wrapped, selectable, and reachable with Tab
// so that a screen reader reads it under its accessible name.
QLabel *valueLabel(QWidget *parent, const QString &accessibleName, const QString &text = {});

// Kiosk text: plain, the font scaled (and bold), never focused (the board has no controls).
QLabel *boardLabel(QWidget *parent, qreal scale, bool bold);

// Sets the colour a widget's text is drawn in.
void setTextColour(QWidget *widget, const QColor &colour);

} // namespace airlock::gui
