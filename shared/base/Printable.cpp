#include "base/Printable.h"

namespace airlock {

QString printableText(QStringView text) {
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t code = text[i].unicode();
        qsizetype width = 1;
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            code = QChar::surrogateToUcs4(text[i], text[i + 1]);
            width = 2;
        }
        bool escape = false;
        switch (QChar::category(code)) {
        case QChar::Other_Control:       // C0, DEL, C1
        case QChar::Other_Format:        // bidi controls, zero-width characters, ...
        case QChar::Other_Surrogate:     // unpaired
        case QChar::Other_NotAssigned:   // nothing a reader can see
        case QChar::Separator_Line:      // U+2028
        case QChar::Separator_Paragraph: // U+2029
            escape = true;
            break;
        default:
            break;
        }
        if (escape) {
            out += QStringLiteral("\\u{%1}").arg(QString::number(uint(code), 16).toUpper().rightJustified(4, u'0'));
        } else if (code == U'\\') {
            out += QLatin1String("\\\\");
        } else {
            out += text.mid(i, width);
        }
        i += width - 1;
    }
    return out;
}

} // namespace airlock
