#include "models/TransferList.h"

#include "models/ActivityModel.h"
#include "models/Format.h"

#include <cmath>

namespace airlock::gui {

int TransferList::permille(const TransferInfo &t) {
    if (t.finished && t.outcome == TransferOutcome::Complete)
        return 1000;
    if (t.total <= 0)
        return -1;
    return int(qBound(qint64(0), t.bytes * 1000 / t.total, qint64(1000)));
}

qint64 TransferList::secondsLeft(const TransferInfo &t) {
    if (t.finished || t.total <= 0 || t.rate <= 0)
        return -1;
    return qint64(std::ceil(double(qMax<qint64>(0, t.total - t.bytes)) / t.rate));
}

QString TransferList::title(const TransferInfo &t) {
    if (t.pull) // the model's name, then where it comes from
        return tr("Model pull: %1 from %2").arg(t.path, t.host);
    return t.method.isEmpty() ? t.host + t.path : tr("%1 %2%3").arg(t.method, t.host, t.path);
}

QString TransferList::progressText(const TransferInfo &t) {
    const QString done =
        t.total > 0 ? tr("%1 of %2").arg(Format::bytes(t.bytes), Format::bytes(t.total)) : Format::bytes(t.bytes);
    if (t.finished) {
        if (t.outcome == TransferOutcome::None || t.outcome == TransferOutcome::Complete)
            return tr("Finished: %1 in %2").arg(done, Format::duration(t.elapsedMs / 1000));
        return tr("Ended (%1) after %2").arg(ActivityModel::describeOutcome(t.outcome), done);
    }
    const qint64 left = secondsLeft(t);
    if (left < 0)
        return tr("%1 · %2").arg(done, Format::rate(t.rate));
    return tr("%1 · %2 · %3 left").arg(done, Format::rate(t.rate), Format::duration(left));
}

QList<TransferInfo> TransferList::active(const QList<TransferInfo> &all) {
    QList<TransferInfo> list;
    for (const TransferInfo &t : all)
        if (!t.finished)
            list.append(t);
    return list;
}

} // namespace airlock::gui
