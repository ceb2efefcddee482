// Prints the built-in detection rules as the Markdown table README.md carries, or checks or
// rewrites README's copy (between <!-- rules:begin --> and <!-- rules:end -->), so that the
// rule definitions in RulesBuiltin.cpp stay the one source of the list.
//   airlock-rule-table                  print the table
//   airlock-rule-table --check FILE     exit 1 when FILE's table differs
//   airlock-rule-table --write FILE     replace FILE's table
#include "inspect/RulesBuiltin.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kBegin = "<!-- rules:begin -->\n";
constexpr std::string_view kEnd = "<!-- rules:end -->";

bool readFile(const char *path, std::string *out) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream s;
    s << in.rdbuf();
    *out = s.str();
    return true;
}

} // namespace

int main(int argc, char **argv) {
    const std::string table = airlock::builtinRuleTable();
    if (argc == 1) {
        std::fputs(table.c_str(), stdout);
        return 0;
    }
    const std::string_view mode = argv[1];
    if (argc != 3 || (mode != "--check" && mode != "--write")) {
        std::fputs("usage: airlock-rule-table [--check|--write README.md]\n", stderr);
        return 2;
    }
    std::string text;
    if (!readFile(argv[2], &text)) {
        std::fprintf(stderr, "cannot read %s\n", argv[2]);
        return 2;
    }
    const size_t begin = text.find(kBegin);
    const size_t end = begin == std::string::npos ? std::string::npos : text.find(kEnd, begin);
    if (end == std::string::npos) {
        std::fprintf(stderr, "%s has no <!-- rules:begin --> ... <!-- rules:end --> section\n", argv[2]);
        return 2;
    }
    const size_t from = begin + kBegin.size();
    if (mode == "--check") {
        if (text.compare(from, end - from, table) == 0)
            return 0;
        std::fprintf(stderr, "%s: the rule table is not the one the rules define; run scripts/rule-table\n", argv[2]);
        return 1;
    }
    text.replace(from, end - from, table);
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << text;
    return out ? 0 : 2;
}
