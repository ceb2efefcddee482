#include "widgets/StateLook.h"

#include <QPainter>
#include <QSvgRenderer>

namespace airlock::gui {

StateLook::Look StateLook::lookFor(ServiceState state) {
    switch (state) {
    case ServiceState::Enabled:
        return Look::Enabled;
    case ServiceState::Lockdown:
        return Look::Lockdown;
    case ServiceState::Disabled:
        break;
    }
    return Look::Disabled;
}

StateLook StateLook::of(Look look) {
    switch (look) {
    case Look::Enabled:
        return {tr("Enabled"), tr("Requests to allowlisted hosts are checked and let through."),
                QStringLiteral(":/icons/state-enabled.svg"), QColor(0x1e, 0x7d, 0x32), Qt::white};
    case Look::Lockdown:
        return {tr("Lockdown"), tr("Every request is refused until an administrator unlocks the Airlock."),
                QStringLiteral(":/icons/state-lockdown.svg"), QColor(0xb7, 0x1c, 0x1c), Qt::white};
    case Look::Unreachable:
        return {tr("Not connected"), tr("The panel cannot reach the Airlock service."),
                QStringLiteral(":/icons/state-unreachable.svg"), QColor(0xf9, 0xa8, 0x25), Qt::black};
    case Look::Disabled:
        break;
    }
    return {tr("Disabled"), tr("The appliance stays air-gapped: every request is refused."),
            QStringLiteral(":/icons/state-disabled.svg"), QColor(0x45, 0x5a, 0x64), Qt::white};
}

QPixmap StateLook::pixmap(const QString &iconPath, int size, qreal devicePixelRatio) {
    // Rendered from the SVG at the device's resolution, so it stays sharp at 2x.
    const int pixels = qRound(size * devicePixelRatio);
    QPixmap pixmap(pixels, pixels);
    pixmap.fill(Qt::transparent);
    QSvgRenderer renderer(iconPath);
    QPainter painter(&pixmap);
    renderer.render(&painter);
    painter.end();
    pixmap.setDevicePixelRatio(devicePixelRatio);
    return pixmap;
}

} // namespace airlock::gui
