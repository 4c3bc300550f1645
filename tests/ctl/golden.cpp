#include "golden.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "ctl/text_util.hpp"

namespace switchyard::test {

namespace {

// Replaces every match with `<name>`. In a table column (two spaces follow) it is padded to the
// match's width, so the columns stay where they were; in prose it is not.
std::string replace_keeping_width(const std::string& text, const std::regex& pattern,
                                  const std::string& name) {
    std::string out;
    auto last = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
        out.append(last, text.cbegin() + it->position());
        std::string placeholder = "<" + name + ">";
        const auto after = static_cast<std::size_t>(it->position() + it->length());
        const bool in_column = text.compare(after, 2, "  ") == 0;
        if (in_column && placeholder.size() < static_cast<std::size_t>(it->length())) {
            placeholder.append(static_cast<std::size_t>(it->length()) - placeholder.size(), ' ');
        }
        out += placeholder;
        last = text.cbegin() + it->position() + it->length();
    }
    out.append(last, text.cend());
    return out;
}

std::string strip_trailing_spaces(const std::string& text) {
    static const std::regex trailing(" +\n");
    return std::regex_replace(text, trailing, "\n");
}

}  // namespace

std::string normalise(const std::string& text, const GoldenOptions& options) {
    static const std::regex time(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z)");
    static const std::regex request_id(R"(\b[0-9a-f]{32}\b)");
    static const std::regex version(R"(\b\d+-[0-9a-f]{12}\b)");
    // Not 9901: the documented default port is part of the text.
    static const std::regex port(R"((127\.0\.0\.1|localhost):(?!9901\b)\d+)");
    static const std::regex temp_dir(R"((/[^\s'"]+)?/switchyard-(ctl-)?test-[A-Za-z0-9]+)");
    static const std::regex unix_ms(R"("(closed_)?unix_ms":\d+)");
    auto out = replace_keeping_width(text, time, "time");
    out = replace_keeping_width(out, request_id, "request-id");
    out = replace_keeping_width(out, version, "version");
    out = std::regex_replace(out, port, "$1:<port>");
    out = std::regex_replace(out, temp_dir, "<dir>");
    out = std::regex_replace(out, unix_ms, "\"$1unix_ms\":<unix-ms>");
    if (options.latencies) {
        static const std::regex milliseconds(R"(\b\d+(\.\d+)?ms\b)");
        static const std::regex ratio(R"(\b\d+(\.\d+)?x\b)");
        static const std::regex uptime(R"(uptime \d+(h\d+m|m\d+s|s))");
        static const std::regex spaces(" {2,}");
        out = std::regex_replace(out, milliseconds, "<ms>");
        out = std::regex_replace(out, ratio, "<n>x");
        out = std::regex_replace(out, uptime, "uptime <uptime>");
        out = std::regex_replace(out, spaces, "  ");
    }
    return strip_trailing_spaces(out);
}

std::string golden_text(const std::vector<std::string>& args, const ProcessResult& result,
                        const GoldenOptions& options) {
    std::string command = "$ switchyard ctl";
    for (const auto& arg : args) command += " " + ctl::shell_quote(arg);
    std::string text = command + "\nexit " + std::to_string(result.exit_code) + "\n--- stdout\n" +
                       result.out + "--- stderr\n" + result.err;
    return normalise(text, options);
}

bool updating_golden_files() {
    const char* value = std::getenv("SWITCHYARD_UPDATE_GOLDEN");
    return value != nullptr && std::string(value) == "1";
}

void expect_golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(CTL_GOLDEN_DIR) + "/" + name + ".txt";
    if (updating_golden_files()) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << actual;
        ASSERT_TRUE(out.good()) << "cannot write " << path;
        return;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in.good()) << path
                           << " is missing; run with SWITCHYARD_UPDATE_GOLDEN=1 to create it. "
                           << "The output was:\n"
                           << actual;
    std::stringstream expected;
    expected << in.rdbuf();
    EXPECT_EQ(expected.str(), actual) << "the output differs from " << path
                                      << "; if the new output is right, rerun with "
                                         "SWITCHYARD_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace switchyard::test
