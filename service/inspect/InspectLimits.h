#pragma once

#include <QtGlobal>

namespace airlock {

// Bounds on the work inspection may do for one request. Reaching any of them makes the
// request uninspectable, which is a refusal, never a pass.
struct InspectLimits {
    int maxDepth = 4;                           // nested decoding layers (base64 inside percent inside JSON ...)
    qint64 maxTotalBytes = 96 * 1024 * 1024;    // all views of one request together, every layer and part
    qint64 maxInflatedBytes = 32 * 1024 * 1024; // gzip/deflate/bzip2 output, per stream
    int maxInflateRatio = 200;                  // output / input of gzip/deflate/bzip2
    qint64 maxWideBytes = 32 * 1024 * 1024;     // UTF-8 made of a UTF-16/UTF-32 body
    int maxMultipartParts = 100;
    int maxArchiveMembers = 1000; // zip members, each a view (with its name)
    int maxJsonDepth = 128;
    int maxViews = 20000;
    // CPU time one request's inspection may use, all its threads together (WorkBudget): decoding
    // and matching stop there. A 10 MB upload needs about a tenth of it; 0: unlimited.
    qint64 maxCpuMillis = 2000;
    // Not a limit: a body this large has its raw bytes scanned on a second thread while the
    // decoded views are made (same result, about half the wait on two cores). 0: never.
    qint64 parallelBodyBytes = 1024 * 1024;
};

} // namespace airlock
