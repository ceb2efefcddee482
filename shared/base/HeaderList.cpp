#include "base/HeaderList.h"

namespace airlock {

QByteArray headerValue(const HeaderList &headers, QByteArrayView name) {
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

bool hasHeader(const HeaderList &headers, QByteArrayView name) {
    return std::any_of(headers.begin(), headers.end(),
                       [name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

int headerCount(const HeaderList &headers, QByteArrayView name) {
    return int(std::count_if(headers.begin(), headers.end(),
                             [name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; }));
}

} // namespace airlock
