#pragma once

#include <exception>
#include <future>
#include <type_traits>
#include <utility>

namespace airlock {

// The one way inspection puts work on another thread: fn on a thread of its own, its result (or
// exception) in the future. The future is invalid when no thread can be had; the caller then
// does the work itself, so a machine out of threads inspects slower, never less.
template <typename Fn> std::future<std::invoke_result_t<Fn &>> startOffThread(Fn fn) noexcept {
    try {
        return std::async(std::launch::async, std::move(fn));
    } catch (const std::exception &) { // std::system_error (no thread), std::bad_alloc
        return {};
    }
}

} // namespace airlock
