#include "proxy/access_log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace switchyard::proxy {

void append_json_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
                } else {
                    out += c;
                }
        }
    }
}

AccessLog::AccessLog(bool enabled, const std::string& path) {
    if (!enabled) return;
    // One background thread for the whole process; 32k queued lines bound the memory.
    if (!spdlog::thread_pool()) spdlog::init_thread_pool(32768, 1);
    spdlog::sink_ptr sink;
    if (path == "-") {
        sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    } else {
        sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path);
    }
    logger_ = std::make_shared<spdlog::async_logger>("access", sink, spdlog::thread_pool(),
                                                     spdlog::async_overflow_policy::overrun_oldest);
    logger_->set_pattern("%v");
    logger_->set_level(spdlog::level::info);
    logger_->flush_on(spdlog::level::off);
    // Lines reach the file within a second without a flush per request.
    spdlog::register_logger(logger_);
    spdlog::flush_every(std::chrono::seconds(1));
}

AccessLog::~AccessLog() {
    flush();
    if (logger_) spdlog::drop(logger_->name());
}

std::uint64_t AccessLog::lines_dropped() const {
    const auto pool = spdlog::thread_pool();  // the access log is its only user
    return logger_ && pool ? pool->overrun_counter() : 0;
}

void AccessLog::flush() {
    if (logger_) logger_->flush();
}

void AccessLog::write(const AccessRecord& r) {
    if (!logger_) return;
    thread_local std::string line;
    line.clear();
    const auto now = std::chrono::system_clock::now();
    fmt::format_to(std::back_inserter(line),
                   "{{\"time\":\"{:%Y-%m-%dT%H:%M:%S}Z\",\"request_id\":\"",
                   std::chrono::floor<std::chrono::milliseconds>(now));
    append_json_escaped(line, r.request_id);
    line += "\",\"tenant\":";
    if (r.tenant.empty()) {
        line += "null";
    } else {
        line += '"';
        append_json_escaped(line, r.tenant);
        line += '"';
    }
    fmt::format_to(std::back_inserter(line),
                   ",\"route\":{},\"policy\":\"{}\",\"stage\":\"{}\",\"side\":\"{}\",\"method\":\"",
                   r.route_index, r.policy, r.stage, r.side);
    append_json_escaped(line, r.method);
    line += "\",\"path\":\"";
    append_json_escaped(line, r.path);
    fmt::format_to(std::back_inserter(line),
                   "\",\"status\":{},\"bytes_in\":{},\"bytes_out\":{},\"upstream_ms\":{:.3f},"
                   "\"total_ms\":{:.3f}",
                   r.status, r.bytes_in, r.bytes_out, r.upstream_latency.count() / 1000.0,
                   r.total_latency.count() / 1000.0);
    if (!r.error.empty()) {
        line += ",\"error\":\"";
        append_json_escaped(line, r.error);
        line += '"';
    }
    line += '}';
    logger_->info(std::string_view(line));
}

}  // namespace switchyard::proxy
