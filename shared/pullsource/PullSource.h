#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace airlock {

// What a model pull downloads, as an administrator writes it. Three forms:
//   hf:ORG/REPO[@REVISION]                               a whole Hugging Face repo (revision: branch,
//                                                        tag or commit; default "main")
//   https://huggingface.co/ORG/REPO/resolve/REV/PATH     one file of a repo (the seed's example URL)
//   ollama:[NAMESPACE/]NAME[:TAG]                        an Ollama model (namespace "library", tag "latest")
// The service and the admin panel parse with the same function, so the panel checks as you type
// exactly what the service will accept.
struct PullSource {
    enum class Kind { HuggingFaceRepo, HuggingFaceFile, Ollama };

    Kind kind = Kind::HuggingFaceRepo;
    QString repo;     // Hugging Face "ORG/REPO"
    QString revision; // Hugging Face branch, tag or commit as given ("main" by default)
    QString filePath; // HuggingFaceFile: the path inside the repo, '/'-separated, decoded
    QString ns;       // Ollama namespace ("library" by default)
    QString name;     // Ollama model name
    QString tag;      // Ollama tag ("latest" by default)

    // The canonical text: "hf:org/repo@rev", the resolve URL, "ollama:ns/name:tag". Parsing it
    // again gives the same source.
    QString text() const;
    // Short, for lists and the kiosk: "org/repo", "org/repo: path", "name:tag" (namespace shown
    // when it is not "library").
    QString displayName() const;
    bool operator==(const PullSource &) const = default;
};

// nullopt and *error (one sentence, for the API's message) when text is not one of the forms.
// Bounded: longer than kMaxPullSourceLength characters is refused without further work.
std::optional<PullSource> parsePullSource(QStringView text, QString *error);
inline constexpr int kMaxPullSourceLength = 1024;

// A file-name pattern of include/exclude: '*' matches within one path segment, '**' across
// segments, '?' one character that is not '/', "[abc]" / "[a-z]" / "[!a]" a set; a pattern
// without '/' is matched against the file name alone (so "*.gguf" finds files in folders).
// No backtracking blow-up: linear in the path's length for a given pattern, and never more work
// than the pattern's length times the path's (a pattern is at most 256 characters).
bool pullGlobMatches(QStringView pattern, QStringView path);
// Whether a pattern is acceptable (non-empty, at most 256 characters, sets closed, no NUL).
bool isValidPullGlob(QStringView pattern, QString *error);

// include empty: everything; then anything an exclude matches is dropped.
bool pullPathSelected(QStringView path, const QStringList &include, const QStringList &exclude);

} // namespace airlock
