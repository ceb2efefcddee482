#pragma once

#include <QLoggingCategory>

namespace airlock {

Q_DECLARE_LOGGING_CATEGORY(lcUpstream)

} // namespace airlock
